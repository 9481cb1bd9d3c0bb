// Sign-in: the bearer token lives in this tab's sessionStorage only. It is never put in a URL
// (addresses end up in history, logs and Referer headers) and is gone when the tab closes.
// HTTP calls send it as `Authorization: Bearer`; the WebSocket sends it in its first message.
//
// One exception, asked for by the responder: on their own phone, "Get alerts on this phone"
// (phone_alerts.js) trades the sign-in for a device token (POST /v1/me/device-tokens), named
// after the phone and expiring, kept in that phone's localStorage so the installed app stays
// signed in when it is opened from a notification. Signing out revokes it on the server
// (DELETE /v1/me/device-tokens/{id}) before forgetting it; an admin can revoke it too, and the
// page then asks for a sign-in again. The service worker never sees either token.

import { $, show } from './dom.js';
import { setText } from './i18n.js';

const TOKEN_KEY = 'puente.token';
const DEVICE_TOKEN_KEY = 'puente.deviceToken'; // { id, token } of this phone's device token

// What runs before a sign-out forgets the tokens (with them still usable): phone_alerts.js
// takes this phone off the alerts.
const beforeSignOut = [];

export function deviceToken() {
  try {
    const kept = JSON.parse(localStorage.getItem(DEVICE_TOKEN_KEY) || 'null');
    return kept?.id && kept?.token ? kept : null;
  } catch {
    return null;
  }
}

export function keepDeviceToken({ id, token }) {
  localStorage.setItem(DEVICE_TOKEN_KEY, JSON.stringify({ id, token }));
}

// The sign-in of this tab, else this phone's device token.
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || deviceToken()?.token || '';
}

// Forgets both tokens here (a refused token: there is nothing left to revoke).
export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(DEVICE_TOKEN_KEY);
}

export function onSignOut(step) {
  beforeSignOut.push(step);
}

// The sign-out button: what must happen while signed in, then the device token revoked, then
// everything forgotten. Offline, the token is forgotten here all the same (an admin can revoke
// it from the token list: it is named after the phone).
async function signOutEverywhere() {
  for (const step of beforeSignOut) await step().catch(() => {});
  const device = deviceToken();
  if (device)
    await fetch(`/v1/me/device-tokens/${encodeURIComponent(device.id)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token()}` },
    }).catch(() => {});
  signOut();
}

// Shows the page's sign-in form until a token is given, then calls `start` (once per sign-in).
// `start` may call the returned `rejected(messageKey)` when the server refuses the token: the
// form comes back with that message.
export function signIn({ start }) {
  const form = $('#sign-in');
  const app = $('#app');
  const error = $('#sign-in-error');

  const rejected = (messageKey) => {
    signOut();
    show(app, false);
    show(form, true);
    setText(error, messageKey);
    show(error, true);
    $('#token').focus();
  };

  const begin = () => {
    show(form, false);
    show(error, false);
    show(app, true);
    start(rejected);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#token').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('#token').value = '';
    begin();
  });

  const signOutButton = $('#sign-out');
  if (signOutButton)
    signOutButton.addEventListener('click', async () => {
      signOutButton.disabled = true;
      await signOutEverywhere();
      location.reload();
    });

  if (token()) begin();
  else {
    show(app, false);
    show(form, true);
  }
}
