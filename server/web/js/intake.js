// The hotline operator's page: log a call in seconds. The spot comes from a click on the map,
// a neighborhood's name, or typed coordinates; the page says which neighborhood holds it before
// the report goes, and afterwards whether the report opened an incident or joined one.

import { get, post } from './api.js';
import { $, el, randomId, show } from './dom.js';
import { CALLER_LANGUAGES, REPORT_KINDS } from './kinds.js';
import { currentLanguage, setText, translate } from './i18n.js';
import { NeighborhoodMap } from './map.js';
import { startPage } from './page.js';

let map = null;
let spot = null; // { lat, lon, neighborhood: slug or null }
let idempotencyKey = randomId();

function buildChoices() {
  $('#kinds').replaceChildren(
    ...REPORT_KINDS.map((kind) =>
      el('label', { class: 'choice' },
        el('input', { type: 'radio', name: 'kind', value: kind, required: true }),
        el('span', { dataset: { i18n: `kind.${kind}` } })),
    ),
  );
  const select = $('#caller-language');
  select.replaceChildren(...CALLER_LANGUAGES.map((tag) => el('option', { value: tag, dataset: { i18n: `callerLanguage.${tag}` } })));
  select.value = 'es';
  translate($('#app'));
}

function say(node, key, values, className = '') {
  setText(node, key, values);
  node.className = className;
}

async function setSpot(where, { fillFields = true } = {}) {
  spot = { ...where, neighborhood: null };
  if (fillFields) {
    $('#lat').value = where.lat;
    $('#lon').value = where.lon;
  }
  map?.setPin(where);
  const located = $('#located');
  try {
    const found = await get(`/v1/neighborhoods/locate?lat=${where.lat}&lon=${where.lon}`);
    if (spot.lat !== where.lat || spot.lon !== where.lon) return; // a newer pick overtook this one
    spot.neighborhood = found.slug;
    // A tap on the whole city is rough: zoom in so a second tap can be exact.
    if (map && !map.zoomed()) map.focus(found.slug);
    located.dataset.slug = found.slug;
    say(located, 'intake.locatedIn', { name: found.name }, 'located ok');
  } catch (e) {
    located.dataset.slug = '';
    say(located, e.code === 'outside_coverage' ? 'intake.outside' : 'intake.locateFailed', {}, 'located error');
  }
}

function typedSpot() {
  const lat = Number($('#lat').value);
  const lon = Number($('#lon').value);
  if ($('#lat').value.trim() === '' || $('#lon').value.trim() === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
  setSpot({ lat, lon }, { fillFields: false });
}

function namedSpot() {
  const name = $('#neighborhood-name').value.trim().toLowerCase();
  const slug = map?.slugs().find((s) => map.name(s).toLowerCase() === name);
  if (!slug) return;
  map.focus(slug);
  setSpot(map.interiorPoint(slug));
}

function formProblem() {
  if (!spot) return 'intake.needSpot';
  if (!spot.neighborhood) return 'intake.outside';
  if (!$('input[name="kind"]:checked')) return 'intake.needKind';
  return null;
}

async function submit(event) {
  event.preventDefault();
  const error = $('#form-error');
  const problem = formProblem();
  if (problem) {
    say(error, problem, {}, 'error');
    return show(error, true);
  }
  show(error, false);
  const report = {
    location: { lat: spot.lat, lon: spot.lon, description: $('#place').value.trim() },
    kind: $('input[name="kind"]:checked').value,
    description: $('#description').value.trim(),
    language: $('#caller-language').value,
    idempotencyKey,
  };
  $('#submit').disabled = true;
  try {
    const { status, body } = await post('/v1/reports', report);
    showResult(status, body);
  } catch (e) {
    say(error, 'intake.failed', { reason: e.message }, 'error');
    show(error, true);
  } finally {
    $('#submit').disabled = false;
  }
}

// What became of the report: 202 queued (the node keeps it until Redis is back), 200 a repeat
// of one already logged, 201 a new incident or, with other reports in it, a corroboration.
function showResult(status, receipt) {
  const incident = receipt.incident || {};
  const name = incident.neighborhoodName || map?.name(incident.neighborhood) || '';
  const outcome =
    status === 202 ? 'queued' : status === 200 ? 'repeated' : (incident.reports || []).length > 1 ? 'joined' : 'new';
  const result = $('#result');
  result.dataset.outcome = outcome;
  result.dataset.incident = incident.id || '';
  setText($('#result-title'), `intake.outcome.${outcome}`, { name });
  setText($('#result-detail'), 'intake.outcomeDetail', { id: incident.id || '—', reports: (incident.reports || []).length });
  show($('#report'), false);
  show(result, true);
  $('#next-call').focus();
}

function nextCall() {
  $('#report').reset();
  $('#caller-language').value = 'es';
  spot = null;
  idempotencyKey = randomId();
  map?.setPin(null);
  map?.focus(null);
  $('#located').textContent = '';
  show($('#result'), false);
  show($('#report'), true);
  $('#neighborhood-name').focus();
}

startPage({
  title: 'intake.title',
  start: async (live, rejected) => {
    buildChoices();
    $('#report').addEventListener('submit', submit);
    $('#next-call').addEventListener('click', nextCall);
    $('#whole-city').addEventListener('click', () => map?.focus(null));
    $('#lat').addEventListener('change', typedSpot);
    $('#lon').addEventListener('change', typedSpot);
    $('#neighborhood-name').addEventListener('change', namedSpot);
    try {
      map = await NeighborhoodMap.load($('#map'), { onPick: (where) => setSpot(where) });
      const names = map.slugs().map((s) => map.name(s)).sort((a, b) => a.localeCompare(b, currentLanguage()));
      $('#neighborhood-names').replaceChildren(...names.map((name) => el('option', { value: name })));
    } catch (e) {
      if (e.status === 401) rejected('signIn.rejected');
    }
  },
});

