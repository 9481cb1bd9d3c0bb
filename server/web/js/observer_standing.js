// Whether alerts reach this observer now, said at the top of their page (issue 20): an
// off-shift observer saw "No alerts, keep this page open" and was never told alerts would not
// come. GET /v1/me/availability says where they stand (on shift, standby, available until when,
// on call); "I'm available for 2 h" (POST, minutes 120) puts them on call outside their shift,
// and "Stop" takes it back. Read again every minute, so a shift's end shows.

import { get, post } from './api.js';
import { $, show } from './dom.js';
import { currentLanguage, onLanguageChange, setText } from './i18n.js';

const AVAILABLE_MINUTES = 120;
const READ_EVERY_MS = 60 * 1000;

let standing = null; // the last GET /v1/me/availability answer

// 'available', 'on-call', 'standby' or 'off-shift' (proto3 JSON leaves out a false).
export function standingOf(answer) {
  if (answer.available) return 'available';
  if (answer.onCall) return 'on-call';
  if (answer.standby && answer.onShift) return 'standby';
  return 'off-shift';
}

// True once known and alerts of their neighborhoods do not reach them now.
export function offShift() {
  return standing !== null && !standing.onCall;
}

function draw() {
  const box = $('#standing');
  if (!standing) return show(box, false);
  const state = standingOf(standing);
  box.dataset.state = state;
  const until = standing.until
    ? new Date(standing.until).toLocaleTimeString(currentLanguage(), { hour: 'numeric', minute: '2-digit' })
    : '';
  setText($('#standing-state'), `standing.${state}`, { until });
  show($('#available-2h'), state === 'off-shift' || state === 'standby');
  show($('#available-stop'), state === 'available');
  show(box, true);
}

async function read(changed) {
  try {
    standing = await get('/v1/me/availability');
  } catch {
    return; // offline: the header says so; keep what was shown
  }
  draw();
  changed();
}

async function setAvailable(available, changed) {
  const button = available ? $('#available-2h') : $('#available-stop');
  button.disabled = true;
  try {
    const { body } = await post('/v1/me/availability', available ? { available: true, minutes: AVAILABLE_MINUTES } : { available: false });
    standing = body;
    draw();
    changed();
  } catch {
    setText($('#standing-state'), 'standing.failed');
  } finally {
    button.disabled = false;
  }
}

// `changed()` runs after each change of standing (the page redraws its empty message).
export function startStanding(changed) {
  $('#available-2h').addEventListener('click', () => setAvailable(true, changed));
  $('#available-stop').addEventListener('click', () => setAvailable(false, changed));
  onLanguageChange(draw);
  read(changed);
  setInterval(() => read(changed), READ_EVERY_MS);
}
