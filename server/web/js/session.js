// Sign-in: the bearer token lives in this tab's sessionStorage only. It is never put in a URL
// (addresses end up in history, logs and Referer headers) and is gone when the tab closes.
// HTTP calls send it as `Authorization: Bearer`; the WebSocket sends it in its first message.

import { $, show } from './dom.js';
import { setText } from './i18n.js';

const TOKEN_KEY = 'puente.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
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
    signOutButton.addEventListener('click', () => {
      signOut();
      location.reload();
    });

  if (token()) begin();
  else {
    show(app, false);
    show(form, true);
  }
}
