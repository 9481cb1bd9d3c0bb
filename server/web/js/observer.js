// The observer's alerts page, made for a phone: each incident is a card with its latest alert
// (what, where, when), three big answers (en route, on scene, can't), and, once on scene, the
// observer's own word: confirm it, report a false alarm, or send an update with the phone's
// location (asked for only when that button is pressed). Alerts missed while offline arrive
// when the line is back (live_socket.js). Alerts to this phone while the page is closed come by
// Web Push (phone_alerts.js, sw.js); a tapped notification opens the page at
// #incident=<id>, that incident's card.
//
// On scene (docs/on-scene.md): a check-in ("Are you OK?") shows on its card with "I'm OK" and
// "I'm out, safe"; "enough people are there, stand by" shows as a notice; and a plain "More"
// button at the bottom of the card, held for 2 seconds, silently calls the dispatchers and the
// attorneys for help with the phone's location: the screen shows nothing of it (observer_help.js).

import { ApiError, get, post } from './api.js';
import { callAttention, soundReady, unlockSound } from './attention.js';
import { $, el, show } from './dom.js';
import { CLOSING_ALERTS, FIELD_ACKS, OPEN_STATUSES, clock } from './kinds.js';
import { currentLanguage, onLanguageChange, setText, t } from './i18n.js';
import { AlertMemory, SeenWatcher } from './observer_seen.js';
import { offShift, startStanding } from './observer_standing.js';
import { startPage } from './page.js';
import { startPhoneAlerts } from './phone_alerts.js';
import { attachControl } from './attachments.js';
import { helpControl } from './observer_help.js';

// An alert older than this is history (shown, but no beep for it).
const FRESH_MS = 15 * 60 * 1000;
// On opening the page, the alerts of the last 12 hours are fetched: what is going on now.
const RECENT_MS = 12 * 60 * 60 * 1000;
// Answers that are not where the observer stands toward the incident: kept off its buttons.
const NOT_A_STANCE = ['RECEIVED', 'ALL_OK', 'NEED_HELP'];

const incidents = new Map(); // id -> { id, neighborhood, alerts: [], status, answer, message }
let names = new Map(); // slug -> neighborhood name
let me = ''; // this responder's id, from the welcome
let opened = ''; // the incident #incident=<id> asked for
// What this phone showed before, and the cards the observer looked at (observer_seen.js).
const memory = new AlertMemory();
const seenSent = new Set(); // alert ids "seen" was sent for
let watcher = null;

const isFresh = (alert) => Date.now() - Date.parse(alert.sentAt || 0) < FRESH_MS;
const latest = (incident) => incident.alerts[incident.alerts.length - 1];
const isClosed = (incident) => !OPEN_STATUSES.includes(incident.status);

function statusAfter(status, type) {
  if (type === 'VERIFY') return status || 'REPORTED';
  if (type === 'DISPATCH') return 'CONFIRMED';
  if (type === 'DEBUNK') return 'FALSE_ALARM';
  if (type === 'STAND_DOWN') return 'RESOLVED';
  return status || 'REPORTED';
}

function onAlert(alert) {
  let incident = incidents.get(alert.incidentId);
  if (!incident) {
    incident = { id: alert.incidentId, neighborhood: alert.neighborhood, alerts: [], status: '', answer: null, message: null, checkIn: null };
    incidents.set(incident.id, incident);
    readIncident(incident);
  }
  // A check-in is a question on the card, not news about the incident.
  if (alert.type === 'CHECK_IN') {
    if (incident.checkIn?.id === alert.id) return;
    incident.checkIn = alert;
    render();
    ringFor(alert);
    return;
  }
  if (incident.alerts.some((a) => a.id === alert.id)) return;
  incident.alerts.push(alert);
  incident.neighborhood = alert.neighborhood;
  incident.status = statusAfter(incident.status, alert.type);
  // An update may have moved it or added words: read it again.
  if (alert.type === 'UPDATE') readIncident(incident);
  render();
  ringFor(alert);
}

// Rings for an alert this phone never showed before, if it is news (issue 20): not for the
// history a page opening or a reconnect brings back, and once for a burst.
function ringFor(alert) {
  const first = memory.firstShowing(alert.id);
  if (first && isFresh(alert) && memory.mayRing(Date.now())) callAttention();
}

// The card was on screen (observer_seen.js): its latest alert is "seen", once.
function cardSeen(id) {
  const incident = incidents.get(id);
  const alert = incident && latest(incident);
  if (!alert || isClosed(incident) || CLOSING_ALERTS.includes(alert.type) || seenSent.has(alert.id)) return;
  seenSent.add(alert.id);
  sendAck(incident, alert, 'RECEIVED', { quiet: true });
}

// What the incident's card shows besides its alerts, over HTTP: what this observer answered
// before (on another page load, or another phone), what the callers said, and where it is now
// (for the directions link).
async function readIncident(incident) {
  try {
    const fresh = await get(`/v1/incidents/${encodeURIComponent(incident.id)}`);
    const mine = (fresh.acks || []).filter((a) => a.responderId === me && !NOT_A_STANCE.includes(a.state)).pop();
    if (mine && !incident.answer) incident.answer = { state: mine.state, at: mine.at };
    keepDetails(incident, fresh);
    render();
  } catch {
    // Offline, or no longer ours to see: the buttons still work.
  }
}

function keepDetails(incident, fresh) {
  incident.callerSaid = (fresh.reports || []).map((r) => r.description).filter(Boolean);
  if (fresh.location?.lat || fresh.location?.lon) incident.location = fresh.location;
}

async function sendAck(incident, alert, state, { quiet = false, extra = {} } = {}) {
  try {
    const { body } = await post('/v1/acks', {
      alertId: alert.id,
      incidentId: incident.id,
      state,
      idempotencyKey: `${alert.id}:${state}`,
      ...extra,
    });
    if (quiet) return;
    if (state === 'ALL_OK') return;
    incident.answer = { state, at: body.at || new Date().toISOString() };
    incident.message = null;
  } catch (e) {
    if (quiet) return;
    incident.message = { key: 'observer.failed', values: { reason: e.message } };
  }
  render();
}

async function act(incident, action, withLocation = false) {
  const note = $(`.alert-card[data-incident="${CSS.escape(incident.id)}"] textarea`)?.value.trim() || '';
  const body = { text: note };
  if (action === 'false-alarm') body.text = t('observer.falseAlarmText', { note });
  try {
    if (withLocation) {
      const position = await new Promise((resolve, reject) =>
        navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 15000 }),
      );
      body.location = { lat: position.coords.latitude, lon: position.coords.longitude };
    }
    await post(`/v1/incidents/${encodeURIComponent(incident.id)}/${action === 'false-alarm' ? 'updates' : action}`, body);
    incident.message = { key: `observer.done.${action}`, values: {} };
  } catch (e) {
    const reason = e instanceof ApiError ? e.message : t('observer.noLocation');
    incident.message = { key: 'observer.failed', values: { reason } };
  }
  render();
}

// The check-in's answers; the question goes once answered (a new one comes with the next).
function checkInPanel(incident) {
  const answer = (state, key) =>
    el('button', {
      type: 'button',
      class: `answer check-in-${state}`,
      dataset: { ack: state, i18n: key },
      onclick: () => {
        const asked = incident.checkIn;
        incident.checkIn = null;
        render();
        sendAck(incident, asked, state);
      },
    }, t(key));
  return el('div', { class: 'check-in', role: 'alertdialog', dataset: { checkIn: incident.checkIn.id } },
    el('p', { class: 'check-in-ask', dataset: { i18n: 'observer.checkInAsk' } }, t('observer.checkInAsk')),
    el('div', { class: 'answers' }, answer('ALL_OK', 'observer.allOk'), answer('OUT_SAFE', 'observer.outSafe')));
}

function answerButtons(incident, alert) {
  return el('div', { class: 'answers' },
    FIELD_ACKS.map((state) =>
      el('button', {
        type: 'button',
        class: `answer answer-${state}`,
        dataset: { ack: state, i18n: `ack.${state}` },
        'aria-pressed': String(incident.answer?.state === state),
        onclick: () => sendAck(incident, alert, state),
      }, t(`ack.${state}`)),
    ),
  );
}

function onScenePanel(incident) {
  const button = (action, key, withLocation = false) =>
    el('button', { type: 'button', class: `act act-${action}`, dataset: { action, i18n: key }, onclick: () => act(incident, action, withLocation) }, t(key));
  return el('div', { class: 'on-scene' },
    el('label', {}, el('span', { dataset: { i18n: 'observer.note' } }, t('observer.note')), el('textarea', { rows: 2 })),
    incident.status === 'REPORTED' ? button('confirm', 'observer.confirm') : null,
    button('false-alarm', 'observer.falseAlarm'),
    button('updates', 'observer.updateWithLocation', true),
  );
}

function card(incident) {
  const alert = latest(incident);
  const closed = isClosed(incident);
  const language = currentLanguage();
  const earlier = incident.alerts.slice(0, -1).reverse();
  const message = incident.message ? el('p', { class: 'message', role: 'status' }) : null;
  if (message) setText(message, incident.message.key, incident.message.values);
  const answered = incident.answer ? el('p', { class: 'answered' }) : null;
  if (answered) setText(answered, 'observer.answered', { state: t(`ack.${incident.answer.state}`), time: clock(incident.answer.at, language) });
  return el('li', { class: `alert-card type-${alert.type}${closed ? ' closed' : ''}${incident.id === opened ? ' opened' : ''}`, dataset: { incident: incident.id, type: alert.type, status: incident.status } },
    el('div', { class: 'card-head' },
      el('span', { class: `badge type-${alert.type}`, dataset: { i18n: `alertType.${alert.type}` } }, t(`alertType.${alert.type}`)),
      el('span', { class: 'hood' }, names.get(incident.neighborhood) || incident.neighborhood),
      el('time', { datetime: alert.sentAt }, clock(alert.sentAt, language))),
    el('p', { class: 'alert-text' }, alertText(alert)),
    alert.note ? el('p', { class: 'note' }, alert.note) : null,
    alert.location?.description ? el('p', { class: 'place' }, alert.location.description) : null,
    callerWords(incident),
    directionsLink(incident, alert),
    !closed && incident.checkIn ? checkInPanel(incident) : null,
    alert.type === 'STAND_BY' ? el('p', { class: 'notice stand-by', dataset: { i18n: 'observer.standBy' } }, t('observer.standBy')) : null,
    closed ? null : answerButtons(incident, alert),
    closed ? outSafeButton(incident, alert) : null,
    answered,
    !closed && incident.answer?.state === 'ON_SCENE' ? onScenePanel(incident) : null,
    closed ? null : attachControl(incident.id),  // attachments.js
    message,
    earlier.length
      ? el('details', { class: 'earlier' },
          el('summary', { dataset: { i18n: 'observer.earlier' } }, t('observer.earlier')),
          el('ul', {}, earlier.map((a) => el('li', {}, `${clock(a.sentAt, language)} · ${t(`alertType.${a.type}`)} · ${alertText(a)}`))))
      : null,
    !closed && (incident.answer?.state === 'ON_SCENE' || incident.checkIn) ? helpControl(incident) : null,
  );
}

// Open incidents first, then by their latest alert, newest first.
function render() {
  const order = [...incidents.values()].filter((i) => i.alerts.length).sort((a, b) => {
    if (isClosed(a) !== isClosed(b)) return isClosed(a) ? 1 : -1;
    return Date.parse(latest(b).sentAt || 0) - Date.parse(latest(a).sentAt || 0);
  });
  // A new alert must not wipe what the observer is typing.
  const typed = new Map([...document.querySelectorAll('.alert-card textarea')].map((t) => [t.closest('[data-incident]').dataset.incident, t.value]));
  const focus = focusedControl();
  $('#alerts').replaceChildren(...order.map(card));
  restoreFocus(focus);
  for (const [id, value] of typed) {
    const area = document.querySelector(`.alert-card[data-incident="${CSS.escape(id)}"] textarea`);
    if (area) area.value = value;
  }
  watcher?.watch($('#alerts'));
  // Off shift, "keep this page open" would promise alerts that will not come.
  setText($('#empty'), offShift() ? 'observer.emptyOffShift' : 'observer.empty');
  show($('#empty'), order.length === 0);
}

// The control of a card that has the focus, as what finds it again in the redrawn card: a
// redraw (a new alert) must not throw a keyboard or screen reader user back to the top.
function focusedControl() {
  const active = document.activeElement;
  const cardOf = active?.closest?.('.alert-card');
  if (!cardOf) return null;
  const keys = ['ack', 'action', 'help'].filter((k) => active.dataset[k] !== undefined);
  const within = keys.length ? `[data-${keys[0]}="${CSS.escape(active.dataset[keys[0]])}"]` : active.tagName.toLowerCase();
  return `.alert-card[data-incident="${CSS.escape(cardOf.dataset.incident)}"] ${within}`;
}

function restoreFocus(selector) {
  if (selector) document.querySelector(selector)?.focus();
}

// Issue 20's parts of a card, each on its own.

// The alert in the page's language where the alert carries it (`texts`), else as sent.
function alertText(alert) {
  return (alert.texts || {})[currentLanguage()] || alert.text;
}

// What the callers said (their reports' descriptions), each once.
function callerWords(incident) {
  const said = [...new Set(incident.callerSaid || [])];
  if (!said.length) return null;
  return el('div', { class: 'caller-said' },
    el('p', { class: 'label', dataset: { i18n: 'observer.callerSaid' } }, t('observer.callerSaid')),
    said.map((words) => el('p', { class: 'words' }, words)));
}

// Directions to where the incident is now (else where the alert said), in the phone's maps.
function directionsLink(incident, alert) {
  const where = incident.location?.lat ? incident.location : alert.location;
  if (!where?.lat && !where?.lon) return null;
  const destination = `${where.lat},${where.lon}`;
  return el('a', {
    class: 'directions',
    href: `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}`,
    target: '_blank',
    rel: 'noopener noreferrer',
    dataset: { i18n: 'observer.directions' },
  }, t('observer.directions'));
}

// STAND DOWN asks to say when one is out: the button on the closed card, until pressed.
function outSafeButton(incident, alert) {
  if (alert.type !== 'STAND_DOWN' || incident.answer?.state === 'OUT_SAFE') return null;
  return el('button', {
    type: 'button',
    class: 'answer wide out-safe',
    dataset: { ack: 'OUT_SAFE', i18n: 'observer.outSafe' },
    onclick: () => sendAck(incident, alert, 'OUT_SAFE'),
  }, t('observer.outSafe'));
}

// An incident as GET /v1/incidents/{id} gave it, merged into what the page holds: its alerts in
// the reader's language, in time order, and its status.
function mergeRead(fresh) {
  let incident = incidents.get(fresh.id);
  if (!incident) {
    incident = { id: fresh.id, neighborhood: fresh.neighborhood, alerts: [], status: '', answer: null, message: null, checkIn: null };
    incidents.set(incident.id, incident);
    readIncident(incident);
  }
  keepDetails(incident, fresh);
  for (const alert of fresh.alerts || []) {
    if (alert.type === 'CHECK_IN') continue; // asked on the live line; an old one is no question
    if (incident.alerts.some((a) => a.id === alert.id)) continue;
    incident.alerts.push(alert);
    memory.firstShowing(alert.id); // read back, not news: it never rings
  }
  incident.alerts.sort((a, b) => Date.parse(a.sentAt || 0) - Date.parse(b.sentAt || 0));
  incident.status = fresh.status || incident.status;
  return incident;
}

// The history did not reach back: what each known incident is now comes over HTTP. The notice
// shows while that is under way and stays only if some incident could not be read: a short
// offline spell where nothing was lost leaves nothing on screen (issue 20).
async function reloadIncidents() {
  show($('#recovery'), true);
  let unread = 0;
  for (const incident of incidents.values()) {
    try {
      mergeRead(await get(`/v1/incidents/${encodeURIComponent(incident.id)}`));
    } catch (e) {
      // Gone from this observer's view (404, 403) is an answer; offline again is not.
      if (!(e instanceof ApiError) || e.status === 0 || e.status >= 500) unread++;
    }
  }
  show($('#recovery'), unread > 0);
  render();
}

// "#incident=<id>": the page opened from a tapped notification (or told so by the service
// worker, when it was open already). The card is brought into view, read over HTTP first if the
// page has not had its alerts yet; opening it counts as having seen its latest alert.
async function openIncident(hash) {
  const id = new URLSearchParams(String(hash || '').replace(/^#/, '')).get('incident');
  if (!id) return;
  opened = id;
  let incident = incidents.get(id);
  if (!incident?.alerts.length) {
    try {
      incident = mergeRead(await get(`/v1/incidents/${encodeURIComponent(id)}`));
    } catch {
      return; // not one of ours, or offline: the live line brings what there is
    }
  }
  render();
  const alert = incident.alerts.length ? latest(incident) : null;
  if (alert && !isClosed(incident) && !CLOSING_ALERTS.includes(alert.type)) sendAck(incident, alert, 'RECEIVED', { quiet: true });
  document.querySelector(`.alert-card[data-incident="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'start' });
}

function offerSound() {
  const button = $('#sound');
  show(button, !soundReady());
  button.addEventListener('click', () => {
    unlockSound();
    show(button, !soundReady());
  });
}

startPage({
  title: 'observer.title',
  socket: { recentMs: RECENT_MS },
  start: (live) => {
    // Signing in was a touch: sound may start now.
    unlockSound();
    offerSound();
    get('/v1/neighborhoods')
      .then((list) => {
        names = new Map((list.neighborhoods || []).map((n) => [n.slug, n.name]));
        render();
      })
      .catch(() => {});
    live.addEventListener('welcome', (e) => {
      me = e.detail.responder?.id || '';
    });
    live.addEventListener('alert', (e) => onAlert(e.detail));
    live.addEventListener('reload', reloadIncidents);
    onLanguageChange(render);
    watcher = new SeenWatcher(cardSeen);
    startStanding(render);
    render();
    startPhoneAlerts();
    openIncident(location.hash);
    addEventListener('hashchange', () => openIncident(location.hash));
    navigator.serviceWorker?.addEventListener('message', (e) => openIncident(e.data?.open));
  },
});
