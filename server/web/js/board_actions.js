// The dispatcher's steps on the chosen incident (board.js): confirm, update (with a new location
// typed or picked on the map), false alarm, resolve and reopen, the last three asked once more
// in a dialog (a reopen also says why). What became of a step goes into the state's `outcome`,
// which the board draws under the buttons. Moved out of board.js, which hands it the board's
// state, its map (once drawn) and how it names places and redraws.

import { get, post } from './api.js';
import { keepIncident } from './board_state.js';
import { $, $$, show } from './dom.js';
import { setText, t } from './i18n.js';

export class BoardActions {
  // board: { state, map() (null until drawn), placeName(incident), hoodName(slug), render() }.
  constructor(board) {
    this.board = board;
  }

  // The buttons, "Pick on the map" and the update's coordinates.
  wire() {
    for (const button of $$('#detail [data-action]')) button.addEventListener('click', () => this.act(button.dataset.action));
    $('#pick-location').addEventListener('click', (e) => {
      const pressed = e.currentTarget.getAttribute('aria-pressed') === 'true';
      e.currentTarget.setAttribute('aria-pressed', String(!pressed));
    });
    for (const id of ['#update-lat', '#update-lon']) $(id).addEventListener('change', () => this.showPickedSpot());
  }

  // The update box's new location: null when both fields are empty; { error } when they do not
  // make a point; else the Location (the place words only with a point).
  updateLocation() {
    const number = (text) => Number(text.trim().replace(',', '.'));
    const lat = $('#update-lat').value.trim();
    const lon = $('#update-lon').value.trim();
    if (!lat && !lon) return null;
    const point = { lat: number(lat), lon: number(lon) };
    if (!lat || !lon || !Number.isFinite(point.lat) || !Number.isFinite(point.lon) || Math.abs(point.lat) > 90 || Math.abs(point.lon) > 180)
      return { error: 'board.badLocation' };
    const place = $('#update-place').value.trim();
    return place ? { ...point, description: place } : point;
  }

  clearUpdateLocation() {
    for (const id of ['#update-lat', '#update-lon', '#update-place']) $(id).value = '';
    $('#update-location-where').textContent = '';
    this.board.map()?.setPin(null);
  }

  // A spot picked on the map (after "Pick on the map") or typed: pinned, and its neighborhood named.
  async showPickedSpot() {
    const where = this.updateLocation();
    const line = $('#update-location-where');
    if (!where || where.error) {
      this.board.map()?.setPin(null);
      line.textContent = where ? t(where.error) : '';
      return;
    }
    this.board.map()?.setPin(where);
    try {
      const found = await get(`/v1/neighborhoods/locate?lat=${where.lat}&lon=${where.lon}`);
      line.textContent = t('intake.locatedIn', { name: found.name || this.board.hoodName(found.slug) });
    } catch {
      line.textContent = t('intake.outside');
    }
  }

  onMapPick(point) {
    const button = $('#pick-location');
    if (button.getAttribute('aria-pressed') !== 'true') return;
    button.setAttribute('aria-pressed', 'false');
    $('#update-lat').value = point.lat.toFixed(5);
    $('#update-lon').value = point.lon.toFixed(5);
    this.showPickedSpot();
  }

  // False alarm, resolve and reopen tell everyone who was alerted: the dispatcher says yes once
  // more (a reopen also says why, which the alert carries). Answers the reason ('' without), or
  // null when they stepped back.
  confirmStep(action, incident) {
    const dialog = $('#confirm-step');
    const alerted = new Set((incident.alerts || []).flatMap((a) => a.recipients || [])).size;
    const values = { kind: t(`kind.${incident.kind || 'OTHER'}`), name: this.board.placeName(incident), count: alerted };
    setText($('#confirm-step-question'), `board.ask.${action}`, values);
    setText($('#confirm-step-yes'), `board.yes.${action}`);
    const reasonLabel = $('#confirm-step-reason-label');
    show(reasonLabel, action === 'reopen');
    const reason = $('#confirm-step-reason');
    reason.value = action === 'reopen' ? $('#action-text').value.trim() : '';
    show($('#confirm-step-error'), false);
    dialog.dataset.action = action;
    return new Promise((resolve) => {
      const onSubmit = (event) => {
        if (event.submitter?.value !== 'yes') return;
        if (action === 'reopen' && !reason.value.trim()) {
          event.preventDefault(); // the dialog stays: a reopen says why
          setText($('#confirm-step-error'), 'board.reopenNeedsWhy');
          show($('#confirm-step-error'), true);
          reason.focus();
        }
      };
      dialog.addEventListener('submit', onSubmit);
      dialog.addEventListener('close', () => {
        dialog.removeEventListener('submit', onSubmit);
        resolve(dialog.returnValue === 'yes' ? reason.value.trim() : null);
      }, { once: true });
      dialog.returnValue = '';
      dialog.showModal();
      (action === 'reopen' ? reason : $('#confirm-step-cancel')).focus();
    });
  }

  async act(action) {
    const { state } = this.board;
    const id = state.selected;
    const incident = state.incidents.get(id);
    if (!incident) return;
    const body = { text: $('#action-text').value.trim() };
    if (['false-alarm', 'resolve', 'reopen'].includes(action)) {
      const reason = await this.confirmStep(action, incident);
      if (reason === null) return;
      if (action === 'reopen') body.text = reason;
    }
    if (action === 'updates') {
      const location = this.updateLocation();
      if (location?.error) {
        state.outcome = { key: 'board.failed', values: { reason: t(location.error) }, ok: false };
        return this.board.render();
      }
      if (location) body.location = location;
    }
    try {
      const { body: answer } = await post(`/v1/incidents/${encodeURIComponent(id)}/${action}`, body);
      keepIncident(state, answer);
      $('#action-text').value = '';
      if (action === 'updates') this.clearUpdateLocation();
      state.outcome = { key: `board.done.${action}`, ok: true };
    } catch (e) {
      state.outcome = { key: 'board.failed', values: { reason: e.message }, ok: false };
    }
    this.board.render();
  }
}
