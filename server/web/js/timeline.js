// An incident's timeline for the board: its reports, the alerts it sent and every ack, in time
// order, each line with its clock time and how long ago. People are named as the roster names
// them, with their role ("Carmen (operator)", never "op-carmen"). Each alert says who took the
// step that sent it and, person by person, how far it got: delivered (and by which channel),
// seen, answered, or that nothing can reach them; never just "to 3". Built from the incident as
// GET /v1/incidents/{id} gives it, plus the acks and alerts that board events brought since.

import { alertReach, reachCounts } from './board_state.js';
import { el } from './dom.js';
import { elapsed } from './elapsed.js';
import { clock } from './kinds.js';
import { t } from './i18n.js';

// "Carmen (operator)": the roster's name and the person's first role in the page's words; the
// id alone only for someone the roster no longer has.
export function personLabel(state, id) {
  if (!id) return t('timeline.anotherCaller');
  const name = state.names.get(id);
  const role = (state.roles.get(id) || [])[0];
  if (!name) return id;
  return role ? t('timeline.person', { name, role: t(`role.${role}`) }) : name;
}

// A clock time with how long ago it was beside it; the words are kept fresh by board.js.
export function timeWithAgo(at, language) {
  return el('span', { class: 'when' },
    el('time', { datetime: at }, clock(at, language)),
    at ? el('span', { class: 'ago', dataset: { ago: at } }, ` (${elapsed(at, language)})`) : null);
}

function entries(incident) {
  const out = [];
  for (const report of incident.reports || []) out.push({ at: report.receivedAt, kind: 'report', id: report.id, report });
  for (const alert of incident.alerts || []) out.push({ at: alert.sentAt, kind: 'alert', id: alert.id, alert });
  for (const ack of incident.acks || [])
    out.push({ at: ack.at, kind: 'ack', id: `${ack.alertId}:${ack.responderId}:${ack.state}:${ack.at}`, ack });
  const seen = new Set();
  return out
    .filter((e) => !seen.has(e.kind + e.id) && seen.add(e.kind + e.id))
    .sort((a, b) => Date.parse(a.at || 0) - Date.parse(b.at || 0));
}

function reportText(state, report) {
  return [
    t('timeline.report', { kind: t(`kind.${report.kind || 'OTHER'}`), who: personLabel(state, report.reporterId) }),
    report.location?.description,
    report.description,
  ]
    .filter(Boolean)
    .join(' — ');
}

// The alert's line and, under it, one line per person it went to.
function alertLines(state, incident, alert, language) {
  const people = alertReach(state, incident, alert);
  const counts = reachCounts(people);
  const text = alert.note || (alert.texts || {})[language] || alert.text || '';
  const by = alert.sentBy ? ` · ${t('timeline.sentBy', { who: personLabel(state, alert.sentBy) })}` : '';
  const head = t('timeline.alertReach', { type: t(`alertType.${alert.type}`), ...counts });
  const person = (p) =>
    el('li', { class: `reach reach-${p.reach}`, dataset: { responder: p.responderId, reach: p.reach, channels: p.channels.join(' ') } },
      `${personLabel(state, p.responderId)}: `,
      el('strong', {}, p.reach === 'answered' && p.answer ? t(`ack.${p.answer}`) : t(`reach.${p.reach}`)),
      p.channels.length ? ` · ${p.channels.map((c) => t(`channel.${c}`)).join(', ')}` : '');
  return [
    el('span', { class: 'alert-head', dataset: { count: counts.count, delivered: counts.delivered, unreachable: counts.unreachable } }, `${head}${by}: ${text}`),
    people.length
      ? el('ul', { class: 'reach-list' }, people.map(person))
      : el('p', { class: 'reach-none' }, t('timeline.nobody')),
  ];
}

// `state`: the board's (names and roles, delivery records).
export function timelineItems(incident, state, language) {
  return entries(incident).map((e) => {
    const data = Object.fromEntries(
      Object.entries({ kind: e.kind, state: e.ack?.state, type: e.alert?.type, responder: e.ack?.responderId, alert: e.alert?.id }).filter(([, v]) => v),
    );
    let body;
    if (e.kind === 'ack') body = el('span', {}, t('timeline.ack', { who: personLabel(state, e.ack.responderId), state: t(`ack.${e.ack.state}`) }));
    else if (e.kind === 'report') body = el('span', {}, reportText(state, e.report));
    else body = el('div', { class: 'alert-lines' }, alertLines(state, incident, e.alert, language));
    return el('li', { class: `entry entry-${e.kind}`, dataset: data }, timeWithAgo(e.at, language), body);
  });
}
