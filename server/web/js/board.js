// The dispatcher's live board: the map with every incident as a marker colored by status, the
// incidents sorted by urgency, the chosen incident's timeline and actions, who each of its alerts
// reached (by which channel, and when), and who is on call per neighborhood and how they can be
// reached (a page open, a phone, or not at all: "unreachable"). Everything it shows is drawn from one BoardState
// (board_state.js): HTTP reads and board events on the WebSocket change the state, then the page
// is drawn from it. After any reconnect the incidents are read again over HTTP, since board
// events have no history.
//
// Issue 20: what needs the dispatcher (board_attention.js) rings once sound is allowed, stays
// marked on its incident until they open it, and counts in the page title; every clock time
// says how long ago; each alert says who it reached; false alarm, resolve and reopen ask
// first; an update may say where the incident is now; closed incidents of the last 72 hours are
// one click away.

import { get } from './api.js';
import { callAttention, onSoundChange, soundReady, unlockSound } from './attention.js';
import { SEEN_KEPT, SEEN_KEY, attentionItems, titleWith, unseenByIncident } from './board_attention.js';
import {
  BoardState, DELIVERY_STEPS, activeNeighborhoods, applyEvent, checkInStates, currentIncidents, deliveryRows, isOpen, keepHeads, keepIncident, keepOnCall, onSceneAlarms, reachOf, smsLine,
} from './board_state.js';
import { $, $$, el, replaceKeepingFocus, show } from './dom.js';
import { REFRESH_MS, elapsed } from './elapsed.js';
import { clock, day } from './kinds.js';
import { currentLanguage, onLanguageChange, setText, t } from './i18n.js';
import { NeighborhoodMap } from './map.js';
import { startPage } from './page.js';
import { timeWithAgo, timelineItems } from './timeline.js';
import { showMedia } from './attachments.js';
import { isHeld, renderApprovals, renderSources } from './board_approvals.js';
import { BoardActions } from './board_actions.js';
import { BoardHistory } from './board_history.js';

const ON_CALL_EVERY_MS = 10000; // presence changes are not pushed: ask this often
const REREAD_AFTER_MS = 250; // a burst of events about one incident costs one GET

const state = new BoardState();
let map = null; // drawn once the outlines are in; markers and highlights are drawn from the state
const reads = new Map(); // incident id -> its read in flight
const rereads = new Map(); // incident id -> timer

// The neighborhood's name as the map has it now: an incident's own neighborhoodName is the
// name as last read, and a move changes the slug first (a board event).
const hoodName = (slug, fallback) => map?.name(slug) || fallback || slug;
const placeName = (incident) => hoodName(incident.neighborhood, incident.neighborhoodName);
const dismissed = new Set(); // alarm alert ids a dispatcher acknowledged on this board
// The closed incidents of the last 72 hours (board_history.js).
const boardHistory = new BoardHistory({ state, hoodName, placeName, select: (id) => select(id), render: () => render() });
// The steps on the chosen incident (board_actions.js).
const boardActions = new BoardActions({ state, map: () => map, hoodName, placeName, render: () => render() });

// Attention: the keys seen on this board (kept across reloads), the keys already heard (a cue
// rings for a key once), and whether the first load is done (what it finds does not ring).
const seen = new Set(JSON.parse(localStorage.getItem(SEEN_KEY) || '[]'));
const heard = new Set();
let loaded = false;
const PAGE_TITLE = document.title;

// The whole incident into the state. A read begun before the latest board event about it may
// miss what that event told: it is read again. Answers whether the state changed.
function readIncident(id) {
  if (!reads.has(id)) reads.set(id, read(id).finally(() => reads.delete(id)));
  return reads.get(id);
}

async function read(id) {
  const heard = state.heard.get(id);
  try {
    keepIncident(state, await get(`/v1/incidents/${encodeURIComponent(id)}`));
  } catch {
    return false; // offline or gone: the next welcome reads everything again
  }
  if (state.heard.get(id) !== heard) rereadSoon(id);
  return true;
}

function rereadSoon(id) {
  clearTimeout(rereads.get(id));
  rereads.set(
    id,
    setTimeout(async () => {
      if (await readIncident(id)) render();
    }, REREAD_AFTER_MS),
  );
}

// After each welcome: the list, then every listed incident whole (the list gives heads, without
// the reports, acks and reporters the board shows), drawn once when all are in.
async function reloadAll() {
  try {
    const heads = (await get('/v1/incidents')).incidents || [];
    keepHeads(state, heads);
    render();
    const ids = heads.map((head) => head.id);
    if (state.selected && !state.incidents.has(state.selected)) ids.push(state.selected);
    await Promise.all(ids.map(readIncident));
  } catch {
    // The next welcome tries again.
  }
  render();
}

async function reloadOnCall() {
  try {
    keepOnCall(state, await get('/v1/roster/on-call'));
  } catch {
    return;
  }
  renderOnCall();
  renderDetail();
}

// A board event: what it says is drawn at once; the whole incident follows shortly when the
// event did not say everything.
function onEvent(event) {
  // A call for help, a missed check-in, an escalation: the render below rings for it at once.
  const known = state.incidents.has(event.incidentId);
  const reread = applyEvent(state, event);
  if (!known) return readIncident(event.incidentId).then((changed) => changed && render());
  render();
  if (reread) rereadSoon(event.incidentId);
}

function select(id) {
  state.selected = id;
  state.outcome = null;
  markSeen(id);
  render();
  // On a phone the detail sits below the list: bring it into view.
  if (matchMedia('(max-width: 60rem)').matches) $('#detail').scrollIntoView({ block: 'start' });
}

// `marks`: the kinds of matter not yet seen on it (board_attention.js), shown until it is opened.
function incidentItem(incident, marks = []) {
  const language = currentLanguage();
  const onScene = new Set((incident.acks || []).filter((a) => a.state === 'ON_SCENE').map((a) => a.responderId)).size;
  const at = incident.updatedAt || incident.createdAt;
  return el('li', {
    class: `incident status-${incident.status}${incident.id === state.selected ? ' selected' : ''}${marks.length ? ' attention' : ''}`,
    dataset: { incident: incident.id, status: incident.status, attention: marks.join(' ') },
    tabindex: 0,
    onclick: () => select(incident.id),
    onkeydown: (e) => e.key === 'Enter' && select(incident.id),
  },
  marks.length ? el('span', { class: 'attention-mark' }, marks.map((kind) => t(`attention.${kind}`)).join(' · ')) : null,
  el('span', { class: `badge status-${incident.status}` }, t(`status.${incident.status}`)),
  el('strong', {}, `${t(`kind.${incident.kind || 'OTHER'}`)} · ${placeName(incident)}`),
  el('span', { class: 'meta' },
    t('board.itemMeta', { time: clock(at, language), count: incident.reporters || 1, onScene }),
    el('span', { class: 'ago', dataset: { ago: at } }, ` (${elapsed(at, language)})`)),
  incident.escalationStep ? el('span', { class: 'escalated' }, t('board.escalated', { step: incident.escalationStep })) : null,
  escalationDue(incident),
  incident.evidenceAt ? el('span', { class: 'evidence' }, t('board.evidence')) : null,
  isHeld(incident) ? el('span', { class: 'held-mark' }, t('board.held')) : null);
}

// "Next escalation 22:41:07 (in 4 min)": when the next step goes out if too few are on scene.
function escalationDue(incident) {
  if (!isOpen(incident) || !incident.nextEscalationAt) return null;
  const at = incident.nextEscalationAt;
  const language = currentLanguage();
  return el('span', { class: 'escalation-due', dataset: { due: at } },
    t('board.nextEscalation', { time: clock(at, language) }),
    el('span', { class: 'ago', dataset: { ago: at } }, ` (${elapsed(at, language)})`));
}

function renderDetail() {
  const incident = state.selected && state.incidents.get(state.selected);
  show($('#detail'), Boolean(incident));
  renderOutcome();
  if (!incident) return;
  const language = currentLanguage();
  $('#detail').dataset.incident = incident.id;
  $('#detail').dataset.status = incident.status;
  setText($('#detail-title'), 'board.detailTitle', {
    kind: t(`kind.${incident.kind || 'OTHER'}`),
    name: placeName(incident),
  });
  setText($('#detail-summary'), 'board.detailSummary', {
    status: t(`status.${incident.status}`),
    id: incident.id,
    place: incident.location?.description || `${incident.location?.lat ?? ''}, ${incident.location?.lon ?? ''}`,
  });
  $('#detail-times').replaceChildren(
    t('board.opened'), ' ', timeWithAgo(incident.createdAt, language),
    ' · ', t('board.lastChange'), ' ', timeWithAgo(incident.updatedAt || incident.createdAt, language));
  const due = escalationDue(incident);
  show($('#detail-escalation'), Boolean(due));
  $('#detail-escalation').replaceChildren(...(due ? [due] : []));
  for (const button of $$('#detail [data-action]')) {
    const action = button.dataset.action;
    // A closed incident offers only its reopening; an open one every step but that.
    if (action === 'reopen') show(button, !isOpen(incident));
    else show(button, isOpen(incident));
    button.disabled = action === 'reopen' ? isOpen(incident) : !isOpen(incident) || (action === 'confirm' && incident.status !== 'REPORTED');
  }
  show($('.update-location'), isOpen(incident));
  renderCheckIns(incident, language);
  $('#timeline').replaceChildren(...timelineItems(incident, state, language));
  renderDelivery(incident, language);
  showMedia($('#detail'), incident.id);  // attachments.js
  renderSources($('#detail-held'), $('#detail-sources'), incident);  // board_approvals.js
}

// Who is on scene and how their check-ins stand: missed (red), asked, OK, out safe.
function renderCheckIns(incident, language) {
  const rows = checkInStates(incident);
  show($('#no-check-ins'), rows.length === 0);
  $('#check-ins').replaceChildren(...rows.map((row) =>
    el('li', { class: `check-in check-in-${row.state}`, dataset: { responder: row.responderId, checkIn: row.state } },
      `${state.names.get(row.responderId) || row.responderId} · `,
      el('strong', {}, t(`checkIn.${row.state}`, { misses: row.misses })),
      ' · ', timeWithAgo(new Date(row.since).toISOString(), language))));
}

// The alarms on top of the board: each call for help and each missed check-in not yet answered,
// until a dispatcher marks it seen. A call for help shows where the person last was.
function renderAlarms() {
  const language = currentLanguage();
  const alarms = onSceneAlarms(state, dismissed);
  show($('#alarms-panel'), alarms.length > 0);
  $('#alarms').replaceChildren(...alarms.map(({ incidentId, alert }) => {
    const text = (alert.texts || {})[language] || alert.text;
    const where = alert.type === 'HELP_CALL' && alert.location ? `${alert.location.lat}, ${alert.location.lon}` : '';
    return el('li', { class: `alarm alarm-${alert.type}`, dataset: { alert: alert.id, incident: incidentId, type: alert.type } },
      el('span', { class: `badge type-${alert.type}` }, t(`alertType.${alert.type}`)),
      timeWithAgo(alert.sentAt, language),
      el('button', { type: 'button', class: 'link', onclick: () => select(incidentId) }, text),
      where ? el('span', { class: 'alarm-where' }, t('board.lastLocation', { where })) : null,
      el('button', { type: 'button', class: 'quiet', dataset: { i18n: 'board.alarmSeen' }, onclick: () => { dismissed.add(alert.id); markSeen(incidentId); render(); } }, t('board.alarmSeen')));
  }));
}

// Per alert and person: the time of each step (socket, pushed, shown, seen, answered), a push's
// failure as a warning, what SMS did ("SMS delivered", "SMS failed: why"), a red flag on whoever
// nothing can reach, and a note on whoever's phones have all gone quiet (a push may not reach
// them).
function renderDelivery(incident, language) {
  const rows = deliveryRows(state, incident);
  show($('#no-deliveries'), rows.length === 0);
  const head = el('tr', {},
    el('th', {}, t('delivery.person')),
    el('th', {}, t('delivery.alert')),
    DELIVERY_STEPS.map((step) => el('th', {}, t(`delivery.${step}`))),
    el('th', {}, t('delivery.sms')));
  const cell = (row, step) => {
    const at = row.at[step];
    const text = at ? clock(at, language) : '—';
    return el('td', { class: at ? 'done' : 'missing', dataset: { step, at } },
      step === 'acked' && at && row.lastState ? `${t(`ack.${row.lastState}`)} ${text}` : text,
      step === 'pushed' && row.problem
        ? el('span', { class: 'problem', dataset: { problem: row.problem } }, t('delivery.problem', { problem: t(`pushProblem.${row.problem}`) }))
        : null);
  };
  const body = rows.map((row) =>
    el('tr', { class: row.unreachable ? 'unreachable' : '', dataset: { alert: row.alertId, responder: row.responderId, unreachable: String(row.unreachable) } },
      el('td', {}, row.name, row.unreachable ? el('span', { class: 'flag-unreachable' }, t('delivery.unreachable')) : null,
        row.phonesQuietSince
          ? el('span', { class: 'phones-quiet', dataset: { quietSince: row.phonesQuietSince } }, t('delivery.phonesQuiet', { date: day(row.phonesQuietSince, language) }))
          : null),
      el('td', {}, row.alertType ? t(`alertType.${row.alertType}`) : ''),
      DELIVERY_STEPS.map((step) => cell(row, step)),
      smsCell(row, language)));
  $('#delivery').replaceChildren(...(rows.length ? [el('thead', {}, head), el('tbody', {}, body)] : []));
}

function smsCell(row, language) {
  const { state: sms, at, problem } = row.sms;
  if (!sms) return el('td', { class: 'missing', dataset: { sms: '' } }, '—');
  return el('td', { class: sms === 'failed' ? 'sms-failed' : 'done', dataset: { sms, problem } },
    t(`sms.${sms}`, { at: at ? clock(at, language) : '' }),
    sms === 'failed' ? el('span', { class: 'problem', dataset: { problem } }, t(`textProblem.${problem}`)) : null);
}

// The SMS line above who is on call: the hour's texts against the budget (or over it), the
// gateway when it is down, who replied STOP.
function renderSms() {
  const line = smsLine(state, state.smsStatus);
  const box = $('#sms-line');
  show(box, Boolean(line));
  if (!line) return;
  box.classList.toggle('over-budget', line.key === 'sms.overBudget');
  box.replaceChildren(
    el('span', { class: 'sms-budget' }, t(line.key, line.values)),
    line.gatewayDown ? el('span', { class: 'problem' }, t('sms.gatewayDown')) : null,
    line.stopped.length ? el('span', { class: 'sms-stopped' }, t('sms.stopped', { names: line.stopped.join(', ') })) : null);
}

async function reloadSms() {
  try {
    state.smsStatus = await get('/v1/sms/status');
  } catch {
    return;
  }
  renderSms();
}

function renderOnCall() {
  const { onCall } = state;
  if (!onCall) return;
  const active = activeNeighborhoods(state);
  const words = {
    connected: () => t('board.connected'),
    phone: () => `${t('board.notConnected')} · ${t('board.byPhone')}`,
    unreachable: () => t('board.unreachable'),
  };
  const person = (r) => {
    const reach = reachOf(onCall, r.id);
    return el('li', { class: { connected: 'connected', phone: 'by-phone', unreachable: 'unreachable' }[reach], dataset: { responder: r.id, connected: String(reach === 'connected'), reach } },
      `${r.name} · ${(r.roles || []).map((role) => t(`role.${role}`)).join(', ')} · ${words[reach]()}`);
  };
  const group = (title, people, slug) =>
    el('div', { class: `on-call-group${active.has(slug) ? ' active' : ''}`, dataset: { neighborhood: slug || '' } },
      el('h3', {}, title), el('ul', {}, people.map(person)));
  const hoods = [...(onCall.neighborhoods || [])].sort(
    (a, b) => Number(active.has(b.neighborhood)) - Number(active.has(a.neighborhood)) || hoodName(a.neighborhood).localeCompare(hoodName(b.neighborhood)),
  );
  const groups = hoods.map((n) => group(hoodName(n.neighborhood), n.responders || [], n.neighborhood));
  if ((onCall.standby || []).length) groups.push(group(t('board.standby'), onCall.standby));
  if ((onCall.dispatchers || []).length) groups.push(group(t('board.dispatchers'), onCall.dispatchers));
  $('#on-call').replaceChildren(...groups);
}

// What an approval on the held panel does to the board (board_approvals.js).
const approvalHooks = {
  placeName,
  onSelect: select,
  onApproved: (incident) => {
    keepIncident(state, incident);
    state.outcome = { key: 'board.done.approve', ok: true };
    render();
  },
  onFailed: (reason) => {
    state.outcome = { key: 'board.failed', values: { reason }, ok: false };
    render();
  },
};

function render() {
  const all = currentIncidents(state);
  const marks = renderAttention();
  // A live update redraws the list: a keyboard user on a card stays on it.
  replaceKeepingFocus($('#incidents'), all.map((incident) => incidentItem(incident, marks.get(incident.id))), 'incident');
  renderApprovals($('#held-panel'), $('#held'), all, approvalHooks);  // board_approvals.js
  show($('#no-incidents'), all.length === 0);
  if (map) {
    map.setMarkers(
      all
        .filter((i) => i.location)
        .map((i) => ({ id: i.id, lat: i.location.lat, lon: i.location.lon, status: i.status, selected: i.id === state.selected, label: `${t(`status.${i.status}`)} · ${hoodName(i.neighborhood)}` })),
    );
    map.highlight(activeNeighborhoods(state));
  }
  renderDetail();
  renderOnCall();
  renderAlarms();
  boardHistory.render();
}

// What became of the dispatcher's last action, under the buttons; nothing once another incident
// is chosen.
function renderOutcome() {
  const result = $('#action-result');
  const { outcome } = state;
  if (outcome) setText(result, outcome.key, outcome.values);
  else {
    delete result.dataset.i18n;
    delete result.dataset.i18nValues;
    result.textContent = '';
  }
  result.className = `message${outcome ? (outcome.ok ? ' ok' : ' error') : ''}`;
}

// --- Attention (board_attention.js) ------------------------------------------------------------

function markSeen(incidentId) {
  let changed = false;
  for (const item of attentionItems(state))
    if (item.incidentId === incidentId && !seen.has(item.key)) changed = seen.add(item.key);
  if (!changed) return;
  localStorage.setItem(SEEN_KEY, JSON.stringify([...seen].slice(-SEEN_KEPT)));
}

// Rings for a matter that appeared since the last draw (not for what the first load found),
// counts the unseen in the title, and answers the unseen kinds by incident for the list.
function renderAttention() {
  const items = attentionItems(state);
  const fresh = items.filter((item) => !heard.has(item.key) && !seen.has(item.key));
  for (const item of items) heard.add(item.key);
  if (loaded && fresh.length) cue();
  const marks = unseenByIncident(items, seen);
  const unseen = items.filter((item) => !seen.has(item.key)).length;
  document.title = titleWith(PAGE_TITLE, unseen);
  document.documentElement.dataset.unseen = String(unseen);
  return marks;
}

// The audible cue (and a count the browser tests read: a headless browser has no ears).
function cue() {
  const root = document.documentElement;
  root.dataset.cues = String(Number(root.dataset.cues || 0) + 1);
  callAttention();
}

function renderSound() {
  show($('#sound'), !soundReady());
}

// Every "3 min ago" on the page, from its data-ago, in the page's language.
function refreshElapsed() {
  const language = currentLanguage();
  for (const node of $$('[data-ago]')) node.textContent = ` (${elapsed(node.dataset.ago, language)})`;
}

startPage({
  title: 'board.title',
  socket: { board: true },
  start: async (live, rejected) => {
    unlockSound(); // signing in was a touch: the alarms may sound (not after a reload)
    onSoundChange(renderSound);
    renderSound();
    $('#sound').addEventListener('click', unlockSound);
    boardActions.wire();
    boardHistory.wire();
    live.addEventListener('incident', (e) => onEvent(e.detail));
    live.addEventListener('welcome', async () => {
      reloadOnCall();
      reloadSms();
      if (boardHistory.isShown()) boardHistory.reload();
      await reloadAll();
      loaded = true;
    });
    onLanguageChange(render);
    onLanguageChange(renderSms);
    setInterval(reloadOnCall, ON_CALL_EVERY_MS);
    setInterval(reloadSms, ON_CALL_EVERY_MS);
    setInterval(refreshElapsed, REFRESH_MS);
    try {
      map = await NeighborhoodMap.load($('#map'), { onSelect: select, onPick: (point) => boardActions.onMapPick(point) });
      render();
    } catch (e) {
      if (e.status === 401 || e.status === 403) rejected('signIn.rejected');
    }
  },
});
