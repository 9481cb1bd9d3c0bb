// What every page does first: its header and sign-in form (drawn here, the same on every page),
// its text in the reader's language, the sign-in, and the live line, whose state (#connection)
// stays on screen: a phone that lost signal says so. A page's HTML holds only its own <main>.

import { api } from './api.js';
import { $, el } from './dom.js';
import { LANGUAGE_NAMES, startI18n, t } from './i18n.js';
import { LiveSocket } from './live_socket.js';
import { signIn } from './session.js';

// The bar across the top: the page's title and the language switch; a page one signs in to adds
// who is signed in, the live line's state and the way out.
function header(title, signedIn) {
  return el('header', { class: 'bar' },
    el('h1', { dataset: { i18n: title } }),
    signedIn && [
      el('span', { id: 'network', class: 'network' }),
      el('span', { id: 'who', class: 'who' }),
      el('span', { id: 'connection', class: 'connection', role: 'status', 'aria-live': 'polite' }),
    ],
    el('select', { id: 'language', dataset: { i18nAriaLabel: 'language.switch' } },
      Object.entries(LANGUAGE_NAMES).map(([lang, name]) => el('option', { value: lang }, name))),
    signedIn && el('button', { id: 'sign-out', type: 'button', class: 'quiet', dataset: { i18n: 'signIn.signOut' } }));
}

// Shown until a token is given (session.js), and again, saying why, when it is refused.
function signInForm() {
  return el('form', { id: 'sign-in', class: 'sign-in', hidden: true },
    el('label', { for: 'token', dataset: { i18n: 'signIn.token' } }),
    el('input', { id: 'token', type: 'password', autocomplete: 'off', required: true }),
    el('p', { id: 'sign-in-error', class: 'error', role: 'alert', hidden: true }),
    el('button', { type: 'submit', class: 'primary', dataset: { i18n: 'signIn.submit' } }));
}

// What is the same for every signed-in page: the line's state in the header, a refused token
// back to the sign-in form, who is signed in. The socket starts after `start` returns.
function startLive(socket, start, rejected) {
  const live = new LiveSocket(socket);
  const badge = $('#connection');
  const showState = (state) => {
    badge.dataset.state = state;
    badge.dataset.i18n = `connection.${state}`;
    badge.textContent = t(badge.dataset.i18n);
  };
  showState(live.state);
  live.addEventListener('state', (e) => showState(e.detail));
  // A token refused outright, or one whose holder may not use this page (an observer's token on
  // the board: the server refuses its board events).
  live.addEventListener('denied', (e) => rejected(e.detail.code === 'forbidden' ? 'signIn.forbidden' : 'signIn.rejected'));
  live.addEventListener('welcome', (e) => {
    $('#who').textContent = e.detail.responder?.name || '';
    showNetwork();
  });
  start(live, rejected);
  live.start();
}

// The name of the token's network (a deployment may serve several: docs/networks.md); nothing
// when the network has none, or the answer does not come (the page works on without it).
async function showNetwork() {
  try {
    const { body } = await api('GET', '/v1/network');
    $('#network').textContent = body.name || '';
  } catch {
    // Not shown; nothing else depends on it.
  }
}

// A page says only what is its own: `title`, the i18n key of its heading; `socket`, the
// LiveSocket's options (`board: true` asks for the dispatchers' events, which the server refuses
// to anyone else); `start(live, rejected)`, which builds the page once signed in. Without
// `start` the page needs no sign-in (the front page).
export async function startPage({ title, socket = {}, start }) {
  document.body.prepend(header(title, Boolean(start)), ...(start ? [signInForm()] : []));
  await startI18n();
  if (start) signIn({ start: (rejected) => startLive(socket, start, rejected) });
}
