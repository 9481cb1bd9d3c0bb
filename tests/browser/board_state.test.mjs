// The board's state (server/web/js/board_state.js) on its own: what a board event changes, and
// when the board must read the incident again over HTTP. An ack event is applied whole and
// costs no read; any other event, or one about an incident the board does not hold, asks for
// one. Also what the board derives from it: who each alert reached, by which channel and when,
// and who on call can be reached at all. Node alone (no browser, no puented): run by ctest as PagesBoardState (tests/CMakeLists.txt).

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';

import { webModule } from './web_modules.mjs';

const {
  ACKS_KEPT_PER_RESPONDER, BoardState, DELIVERY_STEPS, activeNeighborhoods, applyEvent, checkInStates, deliveryRows, incidentsByUrgency, keepHeads, keepIncident, keepOnCall, onSceneAlarms, reachOf, smsLine,
} = await webModule('board_state');

// A board holding one whole incident, as GET /v1/incidents/{id} gives it.
function boardWith(incident = {}) {
  const state = new BoardState();
  keepIncident(state, {
    id: 'inc-1',
    neighborhood: 'boyle-heights',
    status: 'REPORTED',
    updatedAt: '2026-12-05T10:00:00Z',
    alerts: [{ id: 'al-1', type: 'VERIFY' }],
    acks: [],
    ...incident,
  });
  return state;
}

const ack = { alertId: 'al-1', incidentId: 'inc-1', responderId: 'obs-bh', state: 'ON_SCENE', at: '2026-12-05T10:05:00Z' };

test('an ack event adds its ack and nothing else, and needs no read', () => {
  const state = boardWith();
  // The event's status is the incident's as the ack found it; the board keeps its own.
  const reread = applyEvent(state, { incidentId: 'inc-1', neighborhood: 'boyle-heights', status: 'CONFIRMED', what: 'ack', ack, at: ack.at });
  assert.equal(reread, false);
  const incident = state.incidents.get('inc-1');
  assert.deepEqual(incident.acks, [ack]);
  assert.equal(incident.status, 'REPORTED');
  assert.equal(incident.updatedAt, '2026-12-05T10:00:00Z', 'an ack does not move the incident in the list');
});

test("past the acks the store keeps of one responder, an ack event asks for the incident as the store keeps it", () => {
  const state = boardWith();
  const change = (n, responderId = 'obs-bh') => ({ ...ack, responderId, state: n % 2 ? 'ON_SCENE' : 'EN_ROUTE', at: `2026-12-05T10:${String(n).padStart(2, '0')}:00Z` });
  for (let n = 1; n <= ACKS_KEPT_PER_RESPONDER; n++)
    assert.equal(applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: change(n) }), false, `ack ${n}`);
  assert.equal(applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: change(1, 'vol-1') }), false, 'counted per responder');
  assert.equal(applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: change(ACKS_KEPT_PER_RESPONDER + 1) }), true);
});

// Looked for in every header under server/ (it is StoreOptions' in server/store/incident_store.hpp
// today), so the check follows the option if it moves.
test('the board keeps as many acks per responder as the store does', async () => {
  const SERVER = new URL('../../server/', import.meta.url);
  const defaults = [];
  for (const file of (await readdir(SERVER, { recursive: true })).filter((f) => f.endsWith('.hpp'))) {
    const found = (await readFile(new URL(file, SERVER), 'utf8')).match(/\back_history_per_responder\s*=\s*(\d+)\s*;/);
    if (found) defaults.push([file, Number(found[1])]);
  }
  assert.equal(defaults.length, 1, `one default of ack_history_per_responder under server/, found: ${JSON.stringify(defaults)}`);
  assert.equal(ACKS_KEPT_PER_RESPONDER, defaults[0][1], `board_state.js against ${defaults[0][0]}`);
});

test('a step event is drawn at once and asks for the whole incident', () => {
  const state = boardWith();
  const alert = { id: 'al-2', type: 'DISPATCH' };
  const event = { incidentId: 'inc-1', neighborhood: 'boyle-heights', status: 'CONFIRMED', what: 'confirm', alert, at: '2026-12-05T10:06:00Z' };
  assert.equal(applyEvent(state, event), true);
  assert.equal(applyEvent(state, event), true);
  const incident = state.incidents.get('inc-1');
  assert.equal(incident.status, 'CONFIRMED');
  assert.equal(incident.updatedAt, '2026-12-05T10:06:00Z');
  assert.deepEqual(incident.alerts.map((a) => a.id), ['al-1', 'al-2'], 'an alert is held once');
});

test('a report joining an incident asks for the whole incident: the event does not carry the report', () => {
  const state = boardWith();
  assert.equal(applyEvent(state, { incidentId: 'inc-1', neighborhood: 'boyle-heights', what: 'corroborated', at: '2026-12-05T10:07:00Z' }), true);
  assert.equal(state.incidents.get('inc-1').status, 'REPORTED', 'no status in the event: kept');
});

test('an event about an incident the board does not hold asks for it and adds nothing', () => {
  const state = boardWith();
  assert.equal(applyEvent(state, { incidentId: 'inc-2', what: 'ack', ack: { ...ack, incidentId: 'inc-2' } }), true);
  assert.deepEqual([...state.incidents.keys()], ['inc-1']);
});

test('every event is counted per incident, so a read begun before one can be seen to be stale', () => {
  const state = boardWith();
  const before = state.heard.get('inc-1');
  applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack });
  applyEvent(state, { incidentId: 'inc-1', what: 'resolve', status: 'RESOLVED' });
  assert.equal(before, undefined);
  assert.equal(state.heard.get('inc-1'), 2);
  assert.equal(state.heard.get('inc-2'), undefined);
});

test('the list heads never replace an incident held whole', () => {
  const state = boardWith({ acks: [ack] });
  keepHeads(state, [{ id: 'inc-1', status: 'REPORTED' }, { id: 'inc-3', status: 'CONFIRMED' }]);
  assert.deepEqual(state.incidents.get('inc-1').acks, [ack]);
  assert.equal(state.incidents.get('inc-3').status, 'CONFIRMED');
});

test('the list by urgency: confirmed, then reported, then closed; the furthest escalated, then the latest', () => {
  const state = new BoardState();
  const at = (minute) => `2026-12-05T10:${String(minute).padStart(2, '0')}:00Z`;
  for (const incident of [
    { id: 'closed', status: 'RESOLVED', updatedAt: at(50), neighborhood: 'a' },
    { id: 'reported-old', status: 'REPORTED', updatedAt: at(1), neighborhood: 'b' },
    { id: 'reported-new', status: 'REPORTED', updatedAt: at(2), neighborhood: 'b' },
    { id: 'confirmed', status: 'CONFIRMED', updatedAt: at(3), neighborhood: 'c' },
    { id: 'confirmed-escalated', status: 'CONFIRMED', escalationStep: 2, updatedAt: at(0), neighborhood: 'd' },
  ])
    keepIncident(state, incident);
  assert.deepEqual(incidentsByUrgency(state).map((i) => i.id), ['confirmed-escalated', 'confirmed', 'reported-new', 'reported-old', 'closed']);
  assert.deepEqual([...activeNeighborhoods(state)].sort(), ['b', 'c', 'd']);
});

test("the on-call roster gives the timeline its responders' names", () => {
  const state = new BoardState();
  keepOnCall(state, {
    neighborhoods: [{ neighborhood: 'boyle-heights', responders: [{ id: 'obs-bh', name: 'Ana' }] }],
    standby: [{ id: 'vol-1', name: 'Luis' }],
    dispatchers: [{ id: 'disp', name: 'Marta' }],
  });
  assert.deepEqual(Object.fromEntries(state.names), { 'obs-bh': 'Ana', 'vol-1': 'Luis', disp: 'Marta' });
});

// Deliveries as GET /v1/incidents/{id} gives them to a dispatcher (proto3 JSON of Delivery).
const at = (minute, second = 0) => `2026-12-05T10:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;

test('each alert and person gets a row with the time of every step, in the order of the alerts, then by name', () => {
  const state = boardWith({
    alerts: [{ id: 'al-1', type: 'VERIFY' }, { id: 'al-2', type: 'DISPATCH' }],
    deliveries: [
      { alertId: 'al-2', responderId: 'obs-bh', sentAt: at(6), deliveredAt: at(6, 1) },
      { alertId: 'al-1', responderId: 'vol-1', sentAt: at(1), pushedAt: at(1, 1), shownAt: at(1, 3) },
      { alertId: 'al-1', responderId: 'obs-bh', sentAt: at(1), deliveredAt: at(1, 1), seenAt: at(1, 2), ackedAt: at(2), lastState: 'EN_ROUTE' },
    ],
  });
  keepOnCall(state, { neighborhoods: [{ neighborhood: 'boyle-heights', responders: [{ id: 'obs-bh', name: 'Ana' }, { id: 'vol-1', name: 'Luis' }] }] });
  const rows = deliveryRows(state, state.incidents.get('inc-1'));
  assert.deepEqual(rows.map((r) => [r.alertId, r.name, r.alertType]), [['al-1', 'Ana', 'VERIFY'], ['al-1', 'Luis', 'VERIFY'], ['al-2', 'Ana', 'DISPATCH']]);
  assert.deepEqual(DELIVERY_STEPS, ['socket', 'pushed', 'shown', 'seen', 'acked']);
  assert.deepEqual(rows[0].at, { socket: at(1, 1), pushed: '', shown: '', seen: at(1, 2), acked: at(2) });
  assert.equal(rows[0].lastState, 'EN_ROUTE');
  assert.deepEqual(rows[1].at, { socket: '', pushed: at(1, 1), shown: at(1, 3), seen: '', acked: '' }, 'by push alone: pushed, then shown');
  assert.deepEqual([rows[2].at.socket, rows[2].at.pushed], [at(6, 1), '']);
});

test("a push's problem and the unreachable flag are carried to the row", () => {
  const state = boardWith({
    deliveries: [
      { alertId: 'al-1', responderId: 'vol-1', sentAt: at(1), pushProblem: 'gone', unreachable: true },
      { alertId: 'al-1', responderId: 'obs-bh', sentAt: at(1), deliveredAt: at(1, 1) },
    ],
  });
  const rows = deliveryRows(state, state.incidents.get('inc-1'));
  const vol = rows.find((r) => r.responderId === 'vol-1');
  const obs = rows.find((r) => r.responderId === 'obs-bh');
  assert.deepEqual([vol.problem, vol.unreachable, vol.name], ['gone', true, 'vol-1'], 'no name known: the id');
  assert.deepEqual([obs.problem, obs.unreachable], ['', false]);
});

test("a responder whose phones have all gone quiet is marked on their row, until they answer", () => {
  const state = boardWith({
    deliveries: [
      { alertId: 'al-1', responderId: 'obs-bh', sentAt: at(1), pushedAt: at(1, 1), phonesQuietSince: '2026-12-01T18:30:00Z' },
      { alertId: 'al-1', responderId: 'obs-dt', sentAt: at(1), pushedAt: at(1, 1) },
    ],
  });
  const rows = () => deliveryRows(state, state.incidents.get('inc-1'));
  const of = (id) => rows().find((r) => r.responderId === id);
  assert.equal(of('obs-bh').phonesQuietSince, '2026-12-01T18:30:00Z');
  assert.equal(of('obs-bh').unreachable, false, 'quiet phones may still be reached');
  assert.equal(of('obs-dt').phonesQuietSince, '', 'a phone heard from lately: nothing to mark');
  // Their RECEIVED, brought by a board event: the phone reached them after all.
  applyEvent(state, { incidentId: 'inc-1', neighborhood: 'boyle-heights', status: 'REPORTED', what: 'ack', ack: { alertId: 'al-1', incidentId: 'inc-1', responderId: 'obs-bh', state: 'RECEIVED', at: at(2) }, at: at(2) });
  assert.equal(of('obs-bh').phonesQuietSince, '');
});

test('what SMS did shows per person: delivered, failed with its reason, texted, or nothing tried', () => {
  const state = boardWith({
    deliveries: [
      { alertId: 'al-1', responderId: 'obs-bh', sentAt: at(1), textedAt: at(2), textDeliveredAt: at(2, 5) },
      { alertId: 'al-1', responderId: 'vol-1', sentAt: at(1), textedAt: at(2), textProblem: 'failed' },
      { alertId: 'al-1', responderId: 'att-bh', sentAt: at(1), textedAt: at(2) },
      { alertId: 'al-1', responderId: 'disp', sentAt: at(1) },
    ],
  });
  const sms = Object.fromEntries(deliveryRows(state, state.incidents.get('inc-1')).map((r) => [r.responderId, r.sms]));
  assert.deepEqual(sms['obs-bh'], { state: 'delivered', at: at(2, 5), problem: '' });
  assert.deepEqual(sms['vol-1'], { state: 'failed', at: at(2), problem: 'failed' });
  assert.deepEqual(sms['att-bh'], { state: 'texted', at: at(2), problem: '' });
  assert.deepEqual(sms.disp, { state: '', at: '', problem: '' });
});

test("the SMS line: the hour's texts against the budget, over it, the gateway down, who replied STOP by name", () => {
  const state = boardWith();
  keepOnCall(state, { neighborhoods: [{ neighborhood: 'boyle-heights', responders: [{ id: 'obs-bh', name: 'Ana' }] }] });
  assert.equal(smsLine(state, { enabled: false }), null, 'SMS off: no line');
  assert.equal(smsLine(state, undefined), null, 'not read (yet, or not a dispatcher): no line');
  const under = smsLine(state, { enabled: true, sentThisHour: 12, maxPerHour: 500, overBudget: false, gateway: { state: 'up' }, stopped: [] });
  assert.deepEqual(under, { key: 'sms.budget', values: { sent: 12, max: 500 }, gatewayDown: false, stopped: [] });
  const over = smsLine(state, { enabled: true, sentThisHour: 500, maxPerHour: 500, overBudget: true, gateway: { state: 'down' }, stopped: ['obs-bh', 'vol-9'] });
  assert.deepEqual(over, { key: 'sms.overBudget', values: { sent: 500, max: 500 }, gatewayDown: true, stopped: ['Ana', 'vol-9'] });
});

test('acks that board events bring move seen and answered on without a read, and whoever answered is not unreachable', () => {
  const state = boardWith({
    deliveries: [{ alertId: 'al-1', responderId: 'obs-bh', sentAt: at(1), pushedAt: at(1, 1), unreachable: true }],
  });
  const ackOf = (state_, minute, alertId = 'al-1') => ({ alertId, incidentId: 'inc-1', responderId: 'obs-bh', state: state_, at: at(minute) });
  applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: ackOf('RECEIVED', 3) });
  applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: ackOf('RECEIVED', 2) });
  applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: ackOf('EN_ROUTE', 4) });
  applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: ackOf('ON_SCENE', 9) });
  applyEvent(state, { incidentId: 'inc-1', what: 'ack', ack: ackOf('DECLINED', 12, 'al-other') });
  const [row] = deliveryRows(state, state.incidents.get('inc-1'));
  assert.equal(row.at.seen, at(2), 'seen: the first RECEIVED');
  assert.equal(row.at.acked, at(9), 'answered: the latest answer');
  assert.equal(row.lastState, 'ON_SCENE', 'an ack for another alert is not this row\'s');
  assert.equal(row.unreachable, false);
});

test('an incident without deliveries (a reader who is not a dispatcher, or no alert yet) has no rows', () => {
  const state = boardWith();
  assert.deepEqual(deliveryRows(state, state.incidents.get('inc-1')), []);
});

test('on call: a page open, else a phone for Web Push, else unreachable', () => {
  const onCall = { connected: ['obs-bh', 'vol-1'], withPhone: ['vol-1', 'att-bh'] };
  assert.equal(reachOf(onCall, 'obs-bh'), 'connected');
  assert.equal(reachOf(onCall, 'vol-1'), 'connected', 'a page open counts first');
  assert.equal(reachOf(onCall, 'att-bh'), 'phone');
  assert.equal(reachOf(onCall, 'obs-off'), 'unreachable');
  assert.equal(reachOf({}, 'obs-bh'), 'unreachable', 'neither list sent: nobody can be reached');
  assert.equal(reachOf(null, 'obs-bh'), 'unreachable');
});

// The people on scene (docs/on-scene.md): each person's check-in state, and the alarms standing.
test('check-ins per person: missed until they answer, asked, OK, out safe', () => {
  const at = (minute) => new Date(Date.UTC(2026, 11, 6, 20, minute)).toISOString();
  const incident = {
    acks: [
      { responderId: 'ana', state: 'ON_SCENE', at: at(0) },
      { responderId: 'bo', state: 'ON_SCENE', at: at(0) },
      { responderId: 'cy', state: 'ON_SCENE', at: at(0) },
      { responderId: 'cy', state: 'OUT_SAFE', at: at(10) },
      { responderId: 'di', state: 'EN_ROUTE', at: at(0) },
    ],
    alerts: [
      { id: 'al-1', type: 'CHECK_IN', aboutResponderId: 'ana', sentAt: at(15) },
      { id: 'al-2', type: 'CHECK_IN_MISSED', aboutResponderId: 'ana', missedCheckIns: 1, sentAt: at(20) },
      { id: 'al-3', type: 'CHECK_IN', aboutResponderId: 'bo', sentAt: at(15) },
    ],
  };
  const rows = checkInStates(incident);
  assert.deepEqual(rows.map((r) => [r.responderId, r.state]), [['ana', 'missed'], ['bo', 'asked'], ['cy', 'out']]);
  assert.equal(rows[0].misses, 1);

  const state = new BoardState();
  keepIncident(state, { id: 'inc-0123456789abcdef', status: 'CONFIRMED', ...incident });
  assert.deepEqual(onSceneAlarms(state).map((a) => a.alert.id), ['al-2']);
  assert.deepEqual(onSceneAlarms(state, new Set(['al-2'])), []);
  // Ana answers: her missed check-in stops being an alarm; a call for help stays one.
  incident.acks.push({ responderId: 'ana', state: 'ALL_OK', at: at(21) });
  incident.alerts.push({ id: 'al-4', type: 'HELP_CALL', aboutResponderId: 'bo', sentAt: at(22) });
  keepIncident(state, { id: 'inc-0123456789abcdef', status: 'CONFIRMED', ...incident });
  assert.deepEqual(onSceneAlarms(state).map((a) => a.alert.id), ['al-4']);
  assert.equal(checkInStates(incident)[0].responderId, 'bo');
});

// --- Issue 20: who each alert reached, attention, history ---------------------------------------

const { REACH_STEPS, alertReach, currentIncidents, historyOf, nobodyReached, reachCounts } = await webModule('board_state');
const { attentionItems, titleWith, unseenByIncident } = await webModule('board_attention');

test('each alert says, person by person, how far it got and by which channel: never just "to 3"', () => {
  const state = boardWith({
    alerts: [{ id: 'al-1', type: 'DISPATCH', neighborhood: 'boyle-heights', recipients: ['ana', 'luis', 'rosa'] }],
    deliveries: [
      { alertId: 'al-1', responderId: 'ana', deliveredAt: '2026-12-05T10:00:01Z', seenAt: '2026-12-05T10:00:05Z' },
      { alertId: 'al-1', responderId: 'luis', unreachable: true },
      { alertId: 'al-1', responderId: 'rosa', pushedAt: '2026-12-05T10:00:02Z', shownAt: '2026-12-05T10:00:03Z', textDeliveredAt: '2026-12-05T10:00:09Z' },
    ],
    acks: [{ alertId: 'al-1', responderId: 'rosa', state: 'EN_ROUTE', at: '2026-12-05T10:01:00Z' }],
  });
  keepOnCall(state, { roster: [{ id: 'ana', name: 'Ana', roles: ['legal_observer'] }, { id: 'luis', name: 'Luis' }, { id: 'rosa', name: 'Rosa' }] });
  const incident = state.incidents.get('inc-1');
  const people = alertReach(state, incident, incident.alerts[0]);
  assert.deepEqual(people.map((p) => [p.name, p.reach, p.channels.join('+'), p.answer]), [
    ['Luis', 'unreachable', '', ''],
    ['Ana', 'seen', 'socket', ''],
    ['Rosa', 'answered', 'push+sms', 'EN_ROUTE'],
  ]);
  assert.deepEqual(reachCounts(people), { count: 3, delivered: 2, seen: 2, answered: 1, unreachable: 1 });
  assert.deepEqual(REACH_STEPS, ['unreachable', 'sent', 'delivered', 'seen', 'answered']);
  assert.deepEqual(state.roles.get('ana'), ['legal_observer'], 'roles come with the roster');
});

test('an open incident whose first alerts reached nobody is flagged; one delivery clears it', () => {
  const nobody = boardWith({ alerts: [{ id: 'al-1', type: 'VERIFY', neighborhood: 'boyle-heights', recipients: [] }] });
  assert.equal(nobodyReached(nobody, nobody.incidents.get('inc-1')), true);
  const unreachable = boardWith({
    alerts: [{ id: 'al-1', type: 'VERIFY', neighborhood: 'boyle-heights', recipients: ['ana'] }],
    deliveries: [{ alertId: 'al-1', responderId: 'ana', unreachable: true }],
  });
  assert.equal(nobodyReached(unreachable, unreachable.incidents.get('inc-1')), true);
  const reached = boardWith({
    alerts: [{ id: 'al-1', type: 'VERIFY', neighborhood: 'boyle-heights', recipients: ['ana'] }],
    deliveries: [{ alertId: 'al-1', responderId: 'ana', deliveredAt: '2026-12-05T10:00:01Z' }],
  });
  assert.equal(nobodyReached(reached, reached.incidents.get('inc-1')), false);
  const closed = boardWith({ status: 'RESOLVED', alerts: [{ id: 'al-1', type: 'VERIFY', neighborhood: 'boyle-heights', recipients: [] }] });
  assert.equal(nobodyReached(closed, closed.incidents.get('inc-1')), false);
});

test('what needs the dispatcher: a new incident, nobody reached, an observer\'s step, an escalation, a missed check-in, a help call', () => {
  const state = boardWith({
    createdAt: '2026-12-05T10:00:00Z',
    alerts: [
      { id: 'al-1', type: 'VERIFY', neighborhood: 'boyle-heights', recipients: [] },
      { id: 'al-2', type: 'UPDATE', neighborhood: 'boyle-heights', sentBy: 'obs-bh', recipients: [] },
      { id: 'al-3', type: 'UPDATE', neighborhood: 'boyle-heights', sentBy: 'disp', recipients: [] },
      { id: 'al-4', type: 'ESCALATE', neighborhood: 'boyle-heights' },
      { id: 'al-5', type: 'CHECK_IN_MISSED', neighborhood: 'boyle-heights' },
      { id: 'al-6', type: 'HELP_CALL', neighborhood: 'boyle-heights' },
    ],
  });
  keepOnCall(state, { roster: [{ id: 'disp', name: 'Dana', roles: ['dispatcher'] }, { id: 'obs-bh', name: 'Ana', roles: ['legal_observer'] }] });
  const items = attentionItems(state);
  assert.deepEqual(items.map((i) => i.key).sort(), ['escalation:al-4', 'help:al-6', 'missed:al-5', 'new:inc-1', 'observer:al-2', 'unreachable:inc-1']);
  const seen = new Set(['new:inc-1', 'observer:al-2']);
  assert.deepEqual(unseenByIncident(items, seen).get('inc-1'), ['help', 'missed', 'unreachable', 'escalation']);
  assert.equal(titleWith('Puente', 4), '(4) Puente');
  assert.equal(titleWith('Puente', 0), 'Puente');
});

test('the list keeps open incidents and those closed in the last 30 minutes; the history has 72 hours, filtered', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const state = new BoardState();
  const at = (hoursAgo) => new Date(now - hoursAgo * 3600000).toISOString();
  keepIncident(state, { id: 'open', status: 'CONFIRMED', neighborhood: 'boyle-heights', updatedAt: at(100) });
  keepIncident(state, { id: 'just-closed', status: 'RESOLVED', neighborhood: 'boyle-heights', updatedAt: at(0.2) });
  keepIncident(state, { id: 'closed-today', status: 'FALSE_ALARM', neighborhood: 'downtown', updatedAt: at(5), location: { description: 'car wash on Soto' } });
  keepIncident(state, { id: 'closed-3-days', status: 'RESOLVED', neighborhood: 'downtown', updatedAt: at(71) });
  keepIncident(state, { id: 'closed-long-ago', status: 'RESOLVED', neighborhood: 'downtown', updatedAt: at(73) });
  assert.deepEqual(currentIncidents(state, now).map((i) => i.id), ['open', 'just-closed']);
  assert.deepEqual(historyOf(state, {}, undefined, now).map((i) => i.id), ['just-closed', 'closed-today', 'closed-3-days']);
  assert.deepEqual(historyOf(state, { status: 'FALSE_ALARM' }, undefined, now).map((i) => i.id), ['closed-today']);
  assert.deepEqual(historyOf(state, { neighborhood: 'downtown' }, undefined, now).map((i) => i.id), ['closed-today', 'closed-3-days']);
  assert.deepEqual(historyOf(state, { text: 'CAR WASH' }, undefined, now).map((i) => i.id), ['closed-today']);
  assert.deepEqual(historyOf(state, { text: 'boyle' }, (i) => (i.neighborhood === 'boyle-heights' ? 'Boyle Heights' : 'Downtown'), now).map((i) => i.id), ['just-closed']);
});
