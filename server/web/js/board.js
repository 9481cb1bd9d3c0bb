// The dispatcher's live board: the map with every incident as a marker colored by status, the
// incidents sorted by urgency, the chosen incident's timeline and actions, and who is on call
// (and connected) per neighborhood. Board events on the WebSocket keep it current; after any
// reconnect the open incidents are reloaded over HTTP, since board events have no history.

import { get, post } from './api.js';
import { $, $$, el, show } from './dom.js';
import { OPEN_STATUSES, clock } from './kinds.js';
import { currentLanguage, onLanguageChange, setText, t } from './i18n.js';
import { NeighborhoodMap } from './map.js';
import { startPage } from './page.js';
import { timelineItems } from './timeline.js';

const ON_CALL_EVERY_MS = 10000; // presence changes are not pushed: ask this often
const REFETCH_AFTER_MS = 250; // a burst of events about one incident costs one GET

const incidents = new Map(); // id -> Incident (from GET /v1/incidents/{id}, kept current)
const names = new Map(); // responder id -> name
let onCall = null;
let map = null;
let selected = null;
const refetches = new Map(); // incident id -> timer

// Confirmed first (people are needed there now), then reported (waiting for verification),
// then closed; within each, the furthest escalated, then the latest activity.
function byUrgency(a, b) {
  const rank = (i) => ({ CONFIRMED: 0, REPORTED: 1 })[i.status] ?? 2;
  return (
    rank(a) - rank(b) ||
    (b.escalationStep || 0) - (a.escalationStep || 0) ||
    Date.parse(b.updatedAt || b.createdAt || 0) - Date.parse(a.updatedAt || a.createdAt || 0)
  );
}

const isOpen = (incident) => OPEN_STATUSES.includes(incident.status);
const hoodName = (slug) => map?.name(slug) || slug;

async function fetchIncident(id) {
  try {
    incidents.set(id, await get(`/v1/incidents/${encodeURIComponent(id)}`));
    render();
  } catch {
    // Offline or gone: the next welcome reloads everything.
  }
}

function refetchSoon(id) {
  clearTimeout(refetches.get(id));
  refetches.set(id, setTimeout(() => fetchIncident(id), REFETCH_AFTER_MS));
}

async function reloadAll() {
  try {
    const list = await get('/v1/incidents');
    for (const head of list.incidents || []) if (!incidents.has(head.id)) incidents.set(head.id, head);
    await Promise.all((list.incidents || []).map((head) => fetchIncident(head.id)));
    if (selected && !incidents.has(selected)) fetchIncident(selected);
  } catch {
    // The next welcome tries again.
  }
  render();
}

async function reloadOnCall() {
  try {
    onCall = await get('/v1/roster/on-call');
    for (const r of [...(onCall.neighborhoods || []).flatMap((n) => n.responders || []), ...(onCall.standby || []), ...(onCall.dispatchers || [])])
      names.set(r.id, r.name);
  } catch {
    return;
  }
  renderOnCall();
  renderDetail();
}

// A board event: what it says is shown at once; the whole incident follows shortly.
function onEvent(event) {
  const incident = incidents.get(event.incidentId);
  if (!incident) return fetchIncident(event.incidentId);
  if (event.status) incident.status = event.status;
  if (event.neighborhood) incident.neighborhood = event.neighborhood;
  incident.updatedAt = event.at || incident.updatedAt;
  if (event.ack) incident.acks = [...(incident.acks || []), event.ack];
  if (event.alert && !(incident.alerts || []).some((a) => a.id === event.alert.id))
    incident.alerts = [...(incident.alerts || []), event.alert];
  render();
  refetchSoon(event.incidentId);
}

function select(id) {
  selected = id;
  $('#action-result').textContent = '';
  render();
  // On a phone the detail sits below the list: bring it into view.
  if (matchMedia('(max-width: 60rem)').matches) $('#detail').scrollIntoView({ block: 'start' });
}

function incidentItem(incident) {
  const language = currentLanguage();
  const onScene = new Set((incident.acks || []).filter((a) => a.state === 'ON_SCENE').map((a) => a.responderId)).size;
  return el('li', {
    class: `incident status-${incident.status}${incident.id === selected ? ' selected' : ''}`,
    dataset: { incident: incident.id, status: incident.status },
    tabindex: 0,
    onclick: () => select(incident.id),
    onkeydown: (e) => e.key === 'Enter' && select(incident.id),
  },
  el('span', { class: `badge status-${incident.status}` }, t(`status.${incident.status}`)),
  el('strong', {}, `${t(`kind.${incident.kind || 'OTHER'}`)} · ${incident.neighborhoodName || hoodName(incident.neighborhood)}`),
  el('span', { class: 'meta' },
    t('board.itemMeta', { time: clock(incident.updatedAt || incident.createdAt, language), reporters: incident.reporters || 1, onScene })),
  incident.escalationStep ? el('span', { class: 'escalated' }, t('board.escalated', { step: incident.escalationStep })) : null,
  incident.evidenceAt ? el('span', { class: 'evidence' }, t('board.evidence')) : null);
}

function renderDetail() {
  const incident = selected && incidents.get(selected);
  show($('#detail'), Boolean(incident));
  if (!incident) return;
  const language = currentLanguage();
  $('#detail').dataset.incident = incident.id;
  $('#detail').dataset.status = incident.status;
  setText($('#detail-title'), 'board.detailTitle', {
    kind: t(`kind.${incident.kind || 'OTHER'}`),
    name: incident.neighborhoodName || hoodName(incident.neighborhood),
  });
  setText($('#detail-summary'), 'board.detailSummary', {
    status: t(`status.${incident.status}`),
    id: incident.id,
    place: incident.location?.description || `${incident.location?.lat ?? ''}, ${incident.location?.lon ?? ''}`,
  });
  for (const button of $$('#detail [data-action]')) {
    const action = button.dataset.action;
    button.disabled = !isOpen(incident) || (action === 'confirm' && incident.status !== 'REPORTED');
  }
  $('#timeline').replaceChildren(...timelineItems(incident, names, language));
}

function renderOnCall() {
  const box = $('#on-call');
  if (!onCall) return;
  const connected = new Set(onCall.connected || []);
  const active = new Set([...incidents.values()].filter(isOpen).map((i) => i.neighborhood));
  const person = (r) =>
    el('li', { class: connected.has(r.id) ? 'connected' : 'away', dataset: { responder: r.id, connected: String(connected.has(r.id)) } },
      `${r.name} · ${(r.roles || []).map((role) => t(`role.${role}`)).join(', ')} · ${t(connected.has(r.id) ? 'board.connected' : 'board.notConnected')}`);
  const group = (title, people, slug) =>
    el('div', { class: `on-call-group${active.has(slug) ? ' active' : ''}`, dataset: { neighborhood: slug || '' } },
      el('h3', {}, title), el('ul', {}, people.map(person)));
  const hoods = [...(onCall.neighborhoods || [])].sort(
    (a, b) => Number(active.has(b.neighborhood)) - Number(active.has(a.neighborhood)) || hoodName(a.neighborhood).localeCompare(hoodName(b.neighborhood)),
  );
  const groups = hoods.map((n) => group(hoodName(n.neighborhood), n.responders || [], n.neighborhood));
  if ((onCall.standby || []).length) groups.push(group(t('board.standby'), onCall.standby));
  if ((onCall.dispatchers || []).length) groups.push(group(t('board.dispatchers'), onCall.dispatchers));
  box.replaceChildren(...groups);
}

function render() {
  const all = [...incidents.values()].sort(byUrgency);
  $('#incidents').replaceChildren(...all.map(incidentItem));
  show($('#no-incidents'), all.length === 0);
  if (map) {
    map.setMarkers(
      all
        .filter((i) => i.location)
        .map((i) => ({ id: i.id, lat: i.location.lat, lon: i.location.lon, status: i.status, selected: i.id === selected, label: `${t(`status.${i.status}`)} · ${hoodName(i.neighborhood)}` })),
    );
    map.highlight(new Set(all.filter(isOpen).map((i) => i.neighborhood)));
  }
  renderDetail();
  renderOnCall();
}

async function act(action) {
  const result = $('#action-result');
  const id = selected;
  try {
    const { body } = await post(`/v1/incidents/${encodeURIComponent(id)}/${action}`, { text: $('#action-text').value.trim() });
    incidents.set(id, body);
    $('#action-text').value = '';
    setText(result, `board.done.${action}`);
    result.className = 'message ok';
  } catch (e) {
    setText(result, 'board.failed', { reason: e.message });
    result.className = 'message error';
  }
  render();
}

startPage({
  title: 'board.title',
  socket: { board: true },
  start: async (live, rejected) => {
    for (const button of $$('#detail [data-action]')) button.addEventListener('click', () => act(button.dataset.action));
    live.addEventListener('incident', (e) => onEvent(e.detail));
    live.addEventListener('welcome', () => {
      reloadAll();
      reloadOnCall();
    });
    onLanguageChange(render);
    setInterval(reloadOnCall, ON_CALL_EVERY_MS);
    try {
      map = await NeighborhoodMap.load($('#map'), { onSelect: select });
      render();
    } catch (e) {
      if (e.status === 401 || e.status === 403) rejected('signIn.rejected');
    }
  },
});
