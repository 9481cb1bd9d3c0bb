// What an operator types, read as they meant it (issue 20), with no DOM here so Node tests it
// alone (tests/browser/intake_input.test.mjs): coordinates typed with a decimal comma
// ("34,0335") or pasted as one pair ("34.0335, -118.2110") into either field, a neighborhood's
// name misspelled or shortened ("Boyle Hts"), and a text's length in the server's unit (UTF-8
// bytes, core/input_rules.hpp).

// A number with a decimal point or comma: "34.0335", "-118,2110", "+34".
const NUMBER = String.raw`[-+]?\d+(?:[.,]\d+)?`;
// Two numbers: apart by a semicolon or blanks, or by a comma followed by a blank or a sign (a
// comma between digits alone is a decimal comma: "34,0335" is one number).
const PAIR = new RegExp(String.raw`^\s*(${NUMBER})\s*(?:;|,\s|,(?=[-+])|\s)\s*(${NUMBER})\s*$`);
// Or by a bare comma after a number with a decimal point ("-118.2428,34.0537", as GeoJSON and
// many maps copy them): that comma cannot be a decimal one.
const DOTTED_PAIR = /^\s*([-+]?\d+\.\d+)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$/;
const ONE = new RegExp(String.raw`^\s*(${NUMBER})\s*$`);

const toNumber = (text) => Number(text.replace(',', '.'));

// One coordinate typed in a field: a number, or null if the text is not one.
export function readCoordinate(text) {
  const one = ONE.exec(text);
  return one ? toNumber(one[1]) : null;
}

// Both coordinates pasted as one text, either order: { lat, lon }, or null if the text is not a
// pair. A first number outside [-90, 90] is a longitude first (as GeoJSON writes them).
export function readPair(text) {
  const pair = PAIR.exec(text) || DOTTED_PAIR.exec(text);
  if (!pair) return null;
  let [lat, lon] = [toNumber(pair[1]), toNumber(pair[2])];
  if (Math.abs(lat) > 90 && Math.abs(lon) <= 90) [lat, lon] = [lon, lat];
  return validSpot(lat, lon) ? { lat, lon } : null;
}

export function validSpot(lat, lon) {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

// Lowercase, accents and punctuation folded away: "César Chávez" and "cesar chavez" are alike.
export function folded(text) {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// True if `short` could be `word` shortened: its start, or its letters in order beginning with
// the same one ("hts" of "heights", "blvd" of "boulevard").
function shortens(short, word) {
  if (word.startsWith(short)) return true;
  if (short[0] !== word[0]) return false;
  let at = 0;
  for (const letter of word) if (letter === short[at]) at++;
  return at === short.length;
}

// Edits (insert, delete, replace) from a to b.
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

// The name among `names` that `typed` is, folded alike; else null.
export function exactName(typed, names) {
  const want = folded(typed);
  return names.find((name) => folded(name) === want) ?? null;
}

// Up to `most` names among `names` the operator may have meant by `typed`: each typed word
// shortens a word of the name, in order, or the whole is at most a few typing slips away (one
// in four letters, at most 3). Closest first.
export function likelyNames(typed, names, most = 3) {
  const want = folded(typed);
  if (!want) return [];
  const words = want.split(' ');
  const scored = [];
  for (const name of names) {
    const have = folded(name);
    const nameWords = have.split(' ');
    let at = 0;
    for (const word of nameWords) if (at < words.length && shortens(words[at], word)) at++;
    const distance = editDistance(want, have);
    if (at === words.length) scored.push([name, 0, distance]);
    else if (distance <= Math.min(3, Math.ceil(want.length / 4))) scored.push([name, 1, distance]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[2] - b[2] || a[0].localeCompare(b[0]));
  return scored.slice(0, most).map(([name]) => name);
}

// The server counts limits in UTF-8 bytes ("é" is 2).
export function utf8Bytes(text) {
  return new TextEncoder().encode(text).length;
}
