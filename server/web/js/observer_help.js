// The observer's silent call for help (docs/on-scene.md): a plain "More" button at the foot of
// an incident's card that, held for HELP_HOLD_MS, calls the dispatchers and the attorneys for
// help with the phone's location, and shows nothing of it on the screen: someone looking over
// the observer's shoulder sees a button that does nothing.

import { post } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';

// How long the control is held before it calls: long enough not to go off in a pocket, short
// enough to do with a phone held low.
const HELP_HOLD_MS = 2000;

// The phone's position if the page may already have it, else nothing: a call for help never
// waits on a permission prompt, which would show on the screen.
async function quietPosition() {
  try {
    const permission = await navigator.permissions?.query({ name: 'geolocation' });
    if (permission?.state !== 'granted') return null;
    const position = await new Promise((resolve, reject) =>
      navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 }),
    );
    return { lat: position.coords.latitude, lon: position.coords.longitude };
  } catch {
    return null;
  }
}

// The silent call for help: an ack NEED_HELP of the card's latest alert, with the phone's
// position when it can be had quietly. Nothing on the screen changes, whatever the answer.
async function callForHelp(incident) {
  const alert = incident.alerts[incident.alerts.length - 1];
  if (!alert) return;
  const location = await quietPosition();
  try {
    await post('/v1/acks', {
      alertId: alert.id,
      incidentId: incident.id,
      state: 'NEED_HELP',
      idempotencyKey: `${alert.id}:NEED_HELP:${Date.now()}`,
      ...(location ? { location } : {}),
    });
  } catch {
    // Offline: the server keeps nothing. The control may be held again.
  }
}

// A plain "More" at the foot of the card: held for HELP_HOLD_MS it calls for help; a tap does
// nothing anyone would notice. The hold is the page's, not the button's: a card drawn again
// mid-hold (a new alert) loses its button, and a release anywhere still cancels.
let helpHold = 0;
const releaseHelp = () => clearTimeout(helpHold);
for (const type of ['pointerup', 'pointercancel']) addEventListener(type, releaseHelp);

export function helpControl(incident) {
  return el('button', {
    type: 'button',
    class: 'quiet more',
    dataset: { help: incident.id, i18n: 'observer.more' },
    title: t('observer.moreHint'),
    onpointerdown: () => {
      releaseHelp();
      helpHold = setTimeout(() => callForHelp(incident), HELP_HOLD_MS);
    },
    onpointerleave: releaseHelp,
    oncontextmenu: (e) => e.preventDefault(),
  }, t('observer.more'));
}
