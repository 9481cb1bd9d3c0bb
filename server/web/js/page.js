// What every page does first: its text in the reader's language, the sign-in, and the live
// line, whose state (#connection) stays on screen: a phone that lost signal says so.

import { $ } from './dom.js';
import { startI18n, t } from './i18n.js';
import { LiveSocket } from './live_socket.js';
import { signIn } from './session.js';

// `start(live, rejected)` builds the page once signed in; the socket starts after it returns.
export async function startPage({ socket = {}, start }) {
  await startI18n();
  signIn({
    start: (rejected) => {
      const live = new LiveSocket(socket);
      const badge = $('#connection');
      const showState = (state) => {
        badge.dataset.state = state;
        badge.dataset.i18n = `connection.${state}`;
        badge.textContent = t(badge.dataset.i18n);
      };
      showState(live.state);
      live.addEventListener('state', (e) => showState(e.detail));
      // A token refused outright, or one whose holder may not use this page (an observer's
      // token on the board).
      live.addEventListener('denied', (e) => rejected(e.detail.code === 'forbidden' ? 'signIn.forbidden' : 'signIn.rejected'));
      live.addEventListener('welcome', (e) => {
        $('#who').textContent = e.detail.responder?.name || '';
      });
      start(live, rejected);
      live.start();
    },
  });
}
