// The board's history (issue 20): the incidents closed in the last 72 hours (false alarms and
// resolved; board_state.js historyOf keeps the window), one click away, filtered by status,
// neighborhood and words, each opening as any incident does. Moved out of board.js, which hands
// it the board's state and how it names places and selects an incident.

import { get } from './api.js';
import { historyOf, isOpen, keepHeads } from './board_state.js';
import { $, el, replaceKeepingFocus, show } from './dom.js';
import { elapsed } from './elapsed.js';
import { currentLanguage, setText, t } from './i18n.js';
import { clock, day } from './kinds.js';

export class BoardHistory {
  // board: { state, hoodName(slug), placeName(incident), select(id), render() }.
  constructor(board) {
    this.board = board;
  }

  // The closed incidents the node lists, into the state, then the board redrawn.
  async reload() {
    try {
      const [resolved, debunked] = await Promise.all([get('/v1/incidents?status=RESOLVED'), get('/v1/incidents?status=FALSE_ALARM')]);
      keepHeads(this.board.state, [...(resolved.incidents || []), ...(debunked.incidents || [])]);
    } catch {
      return; // the next welcome tries again
    }
    this.board.render();
  }

  isShown() {
    return !$('#history-panel').hidden;
  }

  render() {
    if (!this.isShown()) return;
    const { state, hoodName, placeName, select } = this.board;
    const language = currentLanguage();
    const hoods = $('#history-neighborhood');
    const slugs = [...new Set([...state.incidents.values()].filter((i) => !isOpen(i)).map((i) => i.neighborhood))].sort();
    const chosen = hoods.value;
    hoods.replaceChildren(el('option', { value: '' }, t('history.anyNeighborhood')), ...slugs.map((slug) => el('option', { value: slug }, hoodName(slug))));
    hoods.value = slugs.includes(chosen) ? chosen : '';
    const words = (i) => `${t(`kind.${i.kind || 'OTHER'}`)} ${placeName(i)} ${i.neighborhoodName || ''}`;
    const closed = historyOf(state, { status: $('#history-status').value, neighborhood: hoods.value, text: $('#history-text').value }, words);
    show($('#history-empty'), closed.length === 0);
    replaceKeepingFocus($('#history'), closed.map((incident) => {
      const at = incident.updatedAt || incident.createdAt;
      return el('li', {
        class: `incident status-${incident.status}${incident.id === state.selected ? ' selected' : ''}`,
        dataset: { incident: incident.id, status: incident.status },
        tabindex: 0,
        onclick: () => select(incident.id),
        onkeydown: (e) => e.key === 'Enter' && select(incident.id),
      },
      el('span', { class: `badge status-${incident.status}` }, t(`status.${incident.status}`)),
      el('strong', {}, `${t(`kind.${incident.kind || 'OTHER'}`)} · ${placeName(incident)}`),
      el('span', { class: 'meta' }, t('history.closedAt', { time: `${day(at, language)} ${clock(at, language)}` }),
        el('span', { class: 'ago', dataset: { ago: at } }, ` (${elapsed(at, language)})`)));
    }), 'incident');
  }

  toggle() {
    const panel = $('#history-panel');
    panel.hidden = !panel.hidden;
    $('#show-history').setAttribute('aria-expanded', String(!panel.hidden));
    setText($('#show-history'), panel.hidden ? 'history.show' : 'history.hide');
    if (!panel.hidden) this.reload();
    this.render();
  }

  // The button and the filters.
  wire() {
    $('#show-history').addEventListener('click', () => this.toggle());
    for (const id of ['#history-status', '#history-neighborhood', '#history-text']) $(id).addEventListener('input', () => this.render());
  }
}
