// What on the board calls for the dispatcher's attention, and which of it they have seen. Each
// matter has a key that stays the same across reads (the incident's or the alert's id), so a
// reload does not ring for what was already seen:
//   new          an incident the board has not shown them before
//   unreachable  an open incident nobody on call can be reached for (board_state.nobodyReached)
//   observer     an observer on scene confirmed, or sent an update (their false alarm is one)
//   escalation   an escalation step went out
//   missed       a missed check-in
//   help         a call for help
// The page (board.js) sounds a cue when a key appears after the first load, marks the incident
// until the dispatcher opens it, and counts the unseen in the page title. Pure: no page, no
// network; tests/browser/board_state.test.mjs runs it in Node.

import { isOpen, nobodyReached } from './board_state.js';

export const ATTENTION_KINDS = ['help', 'missed', 'unreachable', 'observer', 'escalation', 'new'];

// Seen keys are remembered in localStorage under this name; the newest this many are kept.
export const SEEN_KEY = 'puente.board.seen';
export const SEEN_KEPT = 500;

const STAFF_ROLES = ['dispatcher', 'admin'];

// Every matter on every incident the board holds: { key, kind, incidentId, at }.
export function attentionItems(state) {
  const items = [];
  for (const incident of state.incidents.values()) {
    const add = (kind, id, at) => items.push({ key: `${kind}:${id}`, kind, incidentId: incident.id, at: at || '' });
    if (isOpen(incident)) add('new', incident.id, incident.createdAt);
    if (nobodyReached(state, incident)) add('unreachable', incident.id, incident.createdAt);
    for (const alert of incident.alerts || []) {
      if (alert.type === 'ESCALATE') add('escalation', alert.id, alert.sentAt);
      else if (alert.type === 'CHECK_IN_MISSED') add('missed', alert.id, alert.sentAt);
      else if (alert.type === 'HELP_CALL') add('help', alert.id, alert.sentAt);
      else if (alert.sentBy && !(state.roles.get(alert.sentBy) || []).some((r) => STAFF_ROLES.includes(r)) && alert.neighborhood === incident.neighborhood)
        add('observer', alert.id, alert.sentAt);
    }
  }
  return items;
}

// The matters not yet seen, by incident id: kinds in ATTENTION_KINDS order.
export function unseenByIncident(items, seen) {
  const out = new Map();
  for (const item of items) {
    if (seen.has(item.key)) continue;
    const kinds = out.get(item.incidentId) || [];
    if (!kinds.includes(item.kind)) kinds.push(item.kind);
    out.set(item.incidentId, kinds);
  }
  for (const kinds of out.values()) kinds.sort((a, b) => ATTENTION_KINDS.indexOf(a) - ATTENTION_KINDS.indexOf(b));
  return out;
}

// "(3) Puente": the count of unseen matters before the page's own title.
export function titleWith(base, unseen) {
  return unseen > 0 ? `(${unseen}) ${base}` : base;
}
