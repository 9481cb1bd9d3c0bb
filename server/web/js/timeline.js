// An incident's timeline for the board: its reports, the alerts it sent and every ack, in time
// order, each line with its time. Built from the incident as GET /v1/incidents/{id} gives it,
// plus the acks and alerts that board events brought since.

import { el } from './dom.js';
import { clock } from './kinds.js';
import { t } from './i18n.js';

function entries(incident, language) {
  const out = [];
  for (const report of incident.reports || [])
    out.push({
      at: report.receivedAt,
      kind: 'report',
      id: report.id,
      text: [
        t('timeline.report', { kind: t(`kind.${report.kind || 'OTHER'}`), who: report.reporterId || '' }),
        report.location?.description,
        report.description,
      ]
        .filter(Boolean)
        .join(' — '),
    });
  for (const alert of incident.alerts || [])
    out.push({
      at: alert.sentAt,
      kind: 'alert',
      id: alert.id,
      type: alert.type,
      text: t('timeline.alert', {
        type: t(`alertType.${alert.type}`),
        count: (alert.recipients || []).length,
        // The dispatcher's own words if any, else the alert's text in the reader's language.
        text: alert.note || (alert.texts || {})[language] || alert.text || '',
      }),
    });
  for (const ack of incident.acks || [])
    out.push({
      at: ack.at,
      kind: 'ack',
      id: `${ack.alertId}:${ack.responderId}:${ack.state}:${ack.at}`,
      state: ack.state,
      responder: ack.responderId,
      text: '',
    });
  const seen = new Set();
  return out
    .filter((e) => !seen.has(e.kind + e.id) && seen.add(e.kind + e.id))
    .sort((a, b) => Date.parse(a.at || 0) - Date.parse(b.at || 0));
}

// `names`: responder id -> name, for acks.
export function timelineItems(incident, names, language) {
  return entries(incident, language).map((e) => {
    const text =
      e.kind === 'ack'
        ? t('timeline.ack', { who: names.get(e.responder) || e.responder, state: t(`ack.${e.state}`) })
        : e.text;
    return el('li', { class: `entry entry-${e.kind}`, dataset: { kind: e.kind, state: e.state, type: e.type, responder: e.responder } },
      el('time', { datetime: e.at }, clock(e.at, language)),
      el('span', {}, text));
  });
}
