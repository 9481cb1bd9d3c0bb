// The dispatcher's board as data, one object: every incident it knows, who is on call, and what
// the dispatcher is looking at. board.js loads into it (HTTP reads, board events on the
// WebSocket) and draws only from it; nothing here touches the page or the network. What the
// board derives for display (the list by urgency, who each alert reached and how, who can be
// reached at all) is computed here too, from the state alone.
//
// An incident is held as GET /v1/incidents/{id} (or an action's answer) gave it, then kept
// current by board events. An ack event carries the whole ack and changes nothing else, so it
// is applied as it is; any other event (a report joined, a step, an escalation) says only part
// of what changed (not the report, not every alert it sent), so the incident is read again.

import { OPEN_STATUSES } from './kinds.js';

// The store keeps each responder's last 16 changes of ack state per incident and drops older
// ones (StoreOptions::ack_history_per_responder, in server/store/incident_store.hpp today; the
// test PagesBoardState fails if the two differ). Past that many the board reads the incident,
// so its timeline shows what the store keeps and no more.
export const ACKS_KEPT_PER_RESPONDER = 16;

export class BoardState {
  constructor() {
    this.incidents = new Map(); // id -> Incident
    this.heard = new Map(); // id -> board events heard about it: a read begun before the last one is stale
    this.names = new Map(); // responder id -> name, from the roster (GET /v1/roster/on-call)
    this.roles = new Map(); // responder id -> their roles, from the same (the timeline's "Carmen (operator)")
    this.onCall = null; // the last GET /v1/roster/on-call
    this.selected = null; // the incident in the detail panel
    this.outcome = null; // the dispatcher's last action: { key, values, ok }
  }
}

export const isOpen = (incident) => OPEN_STATUSES.includes(incident.status);

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

export const incidentsByUrgency = (state) => [...state.incidents.values()].sort(byUrgency);

// Where people are needed: the neighborhoods of the open incidents.
export const activeNeighborhoods = (state) =>
  new Set([...state.incidents.values()].filter(isOpen).map((i) => i.neighborhood));

// A whole incident, as read or as an action answered it.
export function keepIncident(state, incident) {
  state.incidents.set(incident.id, incident);
}

// GET /v1/incidents gives heads (no reports, alerts or acks): held only until the whole incident
// is read, and never over one already held.
export function keepHeads(state, heads) {
  for (const head of heads) if (!state.incidents.has(head.id)) state.incidents.set(head.id, head);
}

export function keepOnCall(state, onCall) {
  state.onCall = onCall;
  for (const r of [...(onCall.roster || []), ...(onCall.neighborhoods || []).flatMap((n) => n.responders || []), ...(onCall.standby || []), ...(onCall.dispatchers || [])]) {
    state.names.set(r.id, r.name);
    if (r.roles?.length) state.roles.set(r.id, r.roles);
  }
}

// A board event: what it says is applied at once. Answers true when the incident must be read
// (whole) for the rest: it is new to the board, or the event did not carry all that changed.
export function applyEvent(state, event) {
  state.heard.set(event.incidentId, (state.heard.get(event.incidentId) || 0) + 1);
  const incident = state.incidents.get(event.incidentId);
  if (!incident) return true;
  // An ack adds itself and nothing else: the incident's status, place and time stay as stored.
  if (event.what === 'ack' && event.ack) {
    incident.acks = [...(incident.acks || []), event.ack];
    return incident.acks.filter((a) => a.responderId === event.ack.responderId).length > ACKS_KEPT_PER_RESPONDER;
  }
  if (event.status) incident.status = event.status;
  if (event.neighborhood) incident.neighborhood = event.neighborhood;
  incident.updatedAt = event.at || incident.updatedAt;
  if (event.ack) incident.acks = [...(incident.acks || []), event.ack];
  if (event.alert && !(incident.alerts || []).some((a) => a.id === event.alert.id))
    incident.alerts = [...(incident.alerts || []), event.alert];
  return true;
}

// The steps of an alert's way to one person, in order: written to a socket of theirs, accepted
// by a push service for a phone of theirs, shown on that phone, seen (they acked RECEIVED),
// answered (any other ack).
export const DELIVERY_STEPS = ['socket', 'pushed', 'shown', 'seen', 'acked'];

// Per alert and person, how the alert reached them (the incident's deliveries, read by
// dispatchers), in the order of the incident's alerts, then by name: the time of each step ('' if
// not yet), their last answer, why a push to them failed, whether nothing can reach them, and
// since when every phone of theirs has been quiet ('' if one was heard from lately, or they have
// none: a push may not reach a quiet phone). Acks that board events brought since the read move
// "seen" and "answered" on at once.
export function deliveryRows(state, incident) {
  const order = new Map((incident.alerts || []).map((a, i) => [a.id, i]));
  const types = new Map((incident.alerts || []).map((a) => [a.id, a.type]));
  const rows = (incident.deliveries || []).map((d) => {
    const row = {
      alertId: d.alertId,
      alertType: types.get(d.alertId) || '',
      responderId: d.responderId,
      name: state.names.get(d.responderId) || d.responderId,
      at: { socket: d.deliveredAt || '', pushed: d.pushedAt || '', shown: d.shownAt || '', seen: d.seenAt || '', acked: d.ackedAt || '' },
      lastState: d.lastState || '',
      problem: d.pushProblem || '',
      sms: smsOf(d),
      unreachable: Boolean(d.unreachable),
      phonesQuietSince: d.phonesQuietSince || '',
    };
    for (const ack of incident.acks || []) {
      if (ack.alertId !== d.alertId || ack.responderId !== d.responderId || !ack.at) continue;
      if (ack.state === 'RECEIVED') {
        if (!row.at.seen || Date.parse(ack.at) < Date.parse(row.at.seen)) row.at.seen = ack.at;
      } else if (!row.at.acked || Date.parse(ack.at) >= Date.parse(row.at.acked)) {
        row.at.acked = ack.at;
        row.lastState = ack.state;
      }
    }
    // An answer is heard from them: whatever the read said, they were reached.
    if (row.at.seen || row.at.acked) {
      row.unreachable = false;
      row.phonesQuietSince = '';
    }
    return row;
  });
  return rows.sort(
    (a, b) => (order.get(a.alertId) ?? Infinity) - (order.get(b.alertId) ?? Infinity) || a.name.localeCompare(b.name),
  );
}

// What SMS did for one person and alert (Delivery's texted_at, text_delivered_at, text_problem;
// docs/sms.md): 'failed' with the problem word ("failed", "rejected", "stopped", ...), else
// 'delivered' when the phone's delivery report came, else 'texted' when the gateway took it,
// else '' (no text was tried).
export function smsOf(d) {
  if (d.textProblem) return { state: 'failed', at: d.textedAt || '', problem: d.textProblem };
  if (d.textDeliveredAt) return { state: 'delivered', at: d.textDeliveredAt, problem: '' };
  if (d.textedAt) return { state: 'texted', at: d.textedAt, problem: '' };
  return { state: '', at: '', problem: '' };
}

// The board's SMS line from GET /v1/sms/status: null when SMS is off; else the words' key and
// values: texts this hour against the budget, or over it (then only VERIFY, DISPATCH and
// ESCALATE go by SMS), the gateway when it is down, and who replied STOP (names when known).
export function smsLine(state, status) {
  if (!status || !status.enabled) return null;
  const sent = Number(status.sentThisHour || 0);
  const max = Number(status.maxPerHour || 0);
  const stopped = (status.stopped || []).map((id) => state.names.get(id) || id);
  return {
    key: status.overBudget ? 'sms.overBudget' : 'sms.budget',
    values: { sent, max },
    gatewayDown: status.gateway?.state === 'down',
    stopped,
  };
}

// How a person on call can be alerted now: 'connected' (a page of theirs is open), 'phone' (no
// page, but a phone that gets alerts by Web Push), 'unreachable' (neither: no alert reaches
// them; the board says so before anyone counts on them).
export function reachOf(onCall, responderId) {
  if ((onCall?.connected || []).includes(responderId)) return 'connected';
  if ((onCall?.withPhone || []).includes(responderId)) return 'phone';
  return 'unreachable';
}

// --- The people on scene (docs/on-scene.md) ---------------------------------------------------

// What the board shouts about: a call for help, a missed check-in.
export const ALARM_ALERTS = ['HELP_CALL', 'CHECK_IN_MISSED'];

const msOf = (timestamp) => Date.parse(timestamp || 0) || 0;

// Each responder on scene at `incident`, with their check-in state: 'out' (I'm out, safe),
// 'missed' (a missed check-in about them since their last ON_SCENE or I'm OK), 'asked' (a
// check-in waiting for their answer), 'ok' (answered, or not asked yet); `since` is when that
// began. Sorted by state, the worst first.
export function checkInStates(incident) {
  const people = new Map(); // responder id -> { anchor, out }
  for (const ack of incident.acks || []) {
    const person = people.get(ack.responderId) || { anchor: 0, out: 0 };
    if (ack.state === 'ON_SCENE' || ack.state === 'ALL_OK') person.anchor = Math.max(person.anchor, msOf(ack.at));
    if (ack.state === 'OUT_SAFE') person.out = Math.max(person.out, msOf(ack.at));
    people.set(ack.responderId, person);
  }
  const rank = { missed: 0, asked: 1, ok: 2, out: 3 };
  const rows = [];
  for (const [responderId, { anchor, out }] of people) {
    if (!anchor) continue;
    let row = { responderId, state: 'ok', since: anchor, misses: 0 };
    if (out >= anchor) row = { responderId, state: 'out', since: out, misses: 0 };
    else {
      for (const alert of incident.alerts || []) {
        if (alert.aboutResponderId !== responderId || msOf(alert.sentAt) < anchor) continue;
        if (alert.type === 'CHECK_IN_MISSED') row = { responderId, state: 'missed', since: msOf(alert.sentAt), misses: Math.max(row.misses, alert.missedCheckIns || 1) };
        else if (alert.type === 'CHECK_IN' && row.state === 'ok') row = { responderId, state: 'asked', since: msOf(alert.sentAt), misses: 0 };
      }
    }
    rows.push(row);
  }
  return rows.sort((a, b) => rank[a.state] - rank[b.state] || a.responderId.localeCompare(b.responderId));
}

// The alarms still standing on every incident the board knows: each call for help, and each
// missed check-in whose person has not answered since; newest first. `dismissed`: alert ids a
// dispatcher acknowledged on this board.
export function onSceneAlarms(state, dismissed = new Set()) {
  const alarms = [];
  for (const incident of state.incidents.values()) {
    const checkIns = new Map(checkInStates(incident).map((row) => [row.responderId, row]));
    for (const alert of incident.alerts || []) {
      if (!ALARM_ALERTS.includes(alert.type) || dismissed.has(alert.id)) continue;
      if (alert.type === 'CHECK_IN_MISSED' && checkIns.get(alert.aboutResponderId)?.state !== 'missed') continue;
      alarms.push({ incidentId: incident.id, alert });
    }
  }
  return alarms.sort((a, b) => msOf(b.alert.sentAt) - msOf(a.alert.sentAt));
}

// --- Who each alert reached (issue 20) ---------------------------------------------------------

// How far one alert got with one person, worst first: nothing can reach them, sent (nothing
// heard back yet), delivered (on their open page, shown on their phone, or an SMS delivered),
// seen (they acked RECEIVED), answered (any other ack).
export const REACH_STEPS = ['unreachable', 'sent', 'delivered', 'seen', 'answered'];

// Per person the alert went to (its recipients, and whoever has a delivery record of it): how
// far it got (REACH_STEPS), by which channels ('socket', 'push', 'sms'), their last answer;
// worst first, then by name.
export function alertReach(state, incident, alert) {
  const rows = new Map(deliveryRows(state, incident).filter((r) => r.alertId === alert.id).map((r) => [r.responderId, r]));
  const ids = [...new Set([...(alert.recipients || []), ...rows.keys()])];
  const people = ids.map((id) => {
    const row = rows.get(id);
    const channels = [];
    if (row?.at.socket) channels.push('socket');
    if (row?.at.pushed || row?.at.shown) channels.push('push');
    if (row?.sms.state === 'texted' || row?.sms.state === 'delivered') channels.push('sms');
    let reach = 'sent';
    if (row?.at.acked) reach = 'answered';
    else if (row?.at.seen) reach = 'seen';
    else if (row?.at.socket || row?.at.shown || row?.sms.state === 'delivered') reach = 'delivered';
    else if (row?.unreachable) reach = 'unreachable';
    return { responderId: id, name: state.names.get(id) || id, reach, channels, answer: row?.lastState || '' };
  });
  const rank = (p) => REACH_STEPS.indexOf(p.reach);
  return people.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

// The counts the timeline's alert line says: sent to, delivered to (seen and answered
// included), seen by (answered included), answered by, unreachable.
export function reachCounts(people) {
  const atLeast = (step) => people.filter((p) => REACH_STEPS.indexOf(p.reach) >= REACH_STEPS.indexOf(step)).length;
  return {
    count: people.length,
    delivered: atLeast('delivered'),
    seen: atLeast('seen'),
    answered: atLeast('answered'),
    unreachable: people.filter((p) => p.reach === 'unreachable').length,
  };
}

// Nobody on call can be reached for an open incident: its first alerts (VERIFY, DISPATCH in its
// own neighborhood) went to no one, or to people nothing can reach, and none of them was
// delivered, seen or answered.
export function nobodyReached(state, incident) {
  if (!isOpen(incident)) return false;
  const first = (incident.alerts || []).filter((a) => (a.type === 'VERIFY' || a.type === 'DISPATCH') && a.neighborhood === incident.neighborhood);
  if (first.length === 0) return false;
  const people = first.flatMap((alert) => alertReach(state, incident, alert));
  return people.every((p) => p.reach === 'unreachable');
}

// --- History (issue 20) -------------------------------------------------------------------------

export const HISTORY_HOURS = 72;
// A just-closed incident stays in the main list this long (a mistaken close is undone from
// there); older ones are in the history view only.
export const CLOSED_IN_LIST_MINUTES = 30;

const closedAt = (incident) => msOf(incident.updatedAt || incident.createdAt);

// The main list: open incidents, and those closed in the last CLOSED_IN_LIST_MINUTES; by urgency.
export function currentIncidents(state, now = Date.now()) {
  return incidentsByUrgency(state).filter((i) => isOpen(i) || now - closedAt(i) <= CLOSED_IN_LIST_MINUTES * 60000);
}

// The history view: incidents closed in the last HISTORY_HOURS, newest first, filtered by
// `status` ('' for both), `neighborhood` (a slug, '' for any) and `text` (in the kind's word,
// the neighborhood's name, the place or the id, any case; `words(incident)` gives those words).
export function historyOf(state, { status = '', neighborhood = '', text = '' } = {}, words = () => '', now = Date.now()) {
  const needle = text.trim().toLowerCase();
  return [...state.incidents.values()]
    .filter((i) => !isOpen(i) && now - closedAt(i) <= HISTORY_HOURS * 3600000)
    .filter((i) => !status || i.status === status)
    .filter((i) => !neighborhood || i.neighborhood === neighborhood)
    .filter((i) => !needle || `${i.id} ${i.location?.description || ''} ${words(i)}`.toLowerCase().includes(needle))
    .sort((a, b) => closedAt(b) - closedAt(a));
}
