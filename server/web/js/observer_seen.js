// What the observer's phone has shown and what the observer has seen (issue 20). Opening the
// page with 13 recent alerts rang 13 times and told the board every one was "seen":
//   - an alert rings only if this phone never showed it before (the ids it showed are kept in
//     localStorage, the last SHOWN_KEPT of them), and one ring covers every alert that comes
//     within RING_QUIET_MS of it (a replay after a reconnect comes in a burst);
//   - "seen" (ack RECEIVED) is sent when the card was on screen: at least half of it in view,
//     the page visible, for SEEN_AFTER_MS (a card scrolled past in a flick was not read).

const SHOWN_KEY = 'puente.shownAlerts';
// More than a night's alerts on one phone: an older id forgotten could at most ring once more.
const SHOWN_KEPT = 500;
const RING_QUIET_MS = 3000;
const SEEN_AFTER_MS = 600;

export class AlertMemory {
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
    let kept = [];
    try {
      kept = JSON.parse(storage?.getItem(SHOWN_KEY) || '[]');
    } catch {
      // a damaged entry: start again
    }
    this.shown = new Set(Array.isArray(kept) ? kept : []);
    this.lastRing = -Infinity;
  }

  // True the first time this phone shows the alert; it is remembered from then on.
  firstShowing(alertId) {
    if (this.shown.has(alertId)) return false;
    this.shown.add(alertId);
    const ids = [...this.shown].slice(-SHOWN_KEPT);
    this.shown = new Set(ids);
    this.storage?.setItem(SHOWN_KEY, JSON.stringify(ids));
    return true;
  }

  // Whether to ring for an alert shown for the first time at `now` (ms): not within the quiet
  // time of the last ring.
  mayRing(now) {
    if (now - this.lastRing < RING_QUIET_MS) return false;
    this.lastRing = now;
    return true;
  }
}

// Calls `seen(incidentId)` once a card (an element with data-incident under `list`) has been
// on screen, as above. watch() again after each redraw: the cards are new elements.
export class SeenWatcher {
  constructor(seen) {
    this.seen = seen;
    this.timers = new Map(); // incident id -> timer while its card is in view
    this.inView = new Set();
    this.observer = new IntersectionObserver((entries) => this.changed(entries), { threshold: 0.5 });
    document.addEventListener('visibilitychange', () => {
      for (const id of this.inView) this.schedule(id);
    });
  }

  watch(list) {
    this.observer.disconnect();
    this.inView.clear();
    for (const card of list.querySelectorAll('[data-incident]')) this.observer.observe(card);
  }

  changed(entries) {
    for (const entry of entries) {
      const id = entry.target.dataset.incident;
      if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
        this.inView.add(id);
        this.schedule(id);
      } else {
        this.inView.delete(id);
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
      }
    }
  }

  schedule(id) {
    if (document.visibilityState !== 'visible' || this.timers.has(id)) return;
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      if (this.inView.has(id) && document.visibilityState === 'visible') this.seen(id);
    }, SEEN_AFTER_MS));
  }
}
