// "3 min ago", "in 4 min": how far a time is from now, in the page's language, for the board's
// clock times and deadlines. A clock time alone makes a dispatcher do sums at 3 a.m.; the board
// prints both, and refreshes the words every REFRESH_MS (board.js) from each node's data-ago.

export const REFRESH_MS = 15000;

// Rounded to the unit a person would say: seconds under a minute, minutes under an hour, hours
// under two days, then days. Empty for no time.
export function elapsed(timestamp, language, now = Date.now()) {
  const at = Date.parse(timestamp || '');
  if (!Number.isFinite(at)) return '';
  const seconds = Math.round((at - now) / 1000);
  const words = new Intl.RelativeTimeFormat(language, { numeric: 'always', style: 'short' });
  const size = Math.abs(seconds);
  // "now" ("ahora") rather than "in 0 sec." for what just happened.
  if (size < 10) return new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'short' }).format(0, 'second');
  if (size < 60) return words.format(seconds, 'second');
  if (size < 3600) return words.format(Math.round(seconds / 60), 'minute');
  if (size < 48 * 3600) return words.format(Math.round(seconds / 3600), 'hour');
  return words.format(Math.round(seconds / 86400), 'day');
}
