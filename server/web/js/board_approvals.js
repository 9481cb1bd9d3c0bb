// Planted reports on the board (issue 19 item 4). A neighborhood past its cap of new unverified
// incidents ([policy] unverified_cap) gets its next incidents held: kept, but no alert went out.
// They wait in the "Held for approval" panel, each with who reported it and how, until a
// dispatcher approves one (POST /v1/incidents/{id}/approve: its first alert goes out now) or
// settles it with the usual steps. And where each report came from (the sender's roles, the way
// it arrived: the API or a WebSocket, and whether a node's journal replayed it) is shown with
// the chosen incident: dispatchers only, the node gives it to no one else.
//
// board.js calls renderApprovals() when it draws the list and renderSources() when it draws the
// chosen incident; everything else about held incidents is here.

import { post } from './api.js';
import { el, show } from './dom.js';
import { t } from './i18n.js';

export const isHeld = (incident) => Boolean(incident?.heldAt);

// "operator · API", "legal observer · WebSocket · journal replay".
export function sourceLabel(report) {
  const parts = [];
  const roles = (report.reporterRoles || []).map((role) => t(`role.${role}`)).join(', ');
  if (roles) parts.push(roles);
  parts.push(report.source ? t(`source.${report.source}`) : t('source.unknown'));
  if (report.replayed) parts.push(t('source.replayed'));
  return parts.join(' · ');
}

const reportLines = (incident) =>
  (incident.reports || []).map((report) =>
    el('li', { dataset: { report: report.id, source: report.source || '', replayed: String(Boolean(report.replayed)) } },
      `${report.reporterId}: ${sourceLabel(report)}`));

// The held incidents, oldest first, each with its reports' sources, an approve button and a way
// to open it. `hooks`: { placeName(incident), onSelect(id), onApproved(incident) , onFailed(reason) }.
export function renderApprovals(panel, list, incidents, hooks) {
  const held = incidents.filter(isHeld).sort((a, b) => String(a.heldAt).localeCompare(String(b.heldAt)));
  show(panel, held.length > 0);
  list.replaceChildren(...held.map((incident) =>
    el('li', { class: 'held', dataset: { incident: incident.id } },
      el('strong', {}, `${t(`kind.${incident.kind || 'OTHER'}`)} · ${hooks.placeName(incident)}`),
      el('ul', { class: 'sources' }, ...reportLines(incident)),
      el('button', { type: 'button', class: 'act act-approve', dataset: { approve: incident.id }, onclick: () => approve(incident.id, hooks) },
        t('board.approve')),
      el('button', { type: 'button', class: 'quiet', onclick: () => hooks.onSelect(incident.id) }, t('board.openHeld')))));
}

async function approve(id, hooks) {
  try {
    const { body } = await post(`/v1/incidents/${encodeURIComponent(id)}/approve`, {});
    hooks.onApproved(body);
  } catch (e) {
    hooks.onFailed(e.message);
  }
}

// The chosen incident: whether it is held, and where each of its reports came from.
export function renderSources(heldNote, list, incident) {
  show(heldNote, isHeld(incident));
  list.replaceChildren(...reportLines(incident));
}
