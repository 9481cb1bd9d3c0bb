// The hotline operator's page: log a call in seconds. The spot comes from a click on the map,
// an address the network's geocoder finds (address_search.js), a neighborhood's name, or typed
// coordinates (read as meant: intake_input.js); the page says
// which neighborhood holds it before the report goes, and afterwards whether the report opened
// an incident or joined one, and how many people its call reached, with a loud warning to call
// the dispatcher when nobody was (issue 20).

import { startAddressSearch } from './address_search.js';
import { get, post } from './api.js';
import { $, $$, el, randomId, show } from './dom.js';
import { exactName, likelyNames, readCoordinate, readPair, utf8Bytes, validSpot } from './intake_input.js';
import { CALLER_LANGUAGES, REPORT_KINDS } from './kinds.js';
import { currentLanguage, setText, t, translate } from './i18n.js';
import { NeighborhoodMap } from './map.js';
import { startPage } from './page.js';

let map = null;
let spot = null; // { lat, lon, neighborhood: slug or null }
// The neighborhood lookup of the latest spot: a report waits for it (Enter in the longitude
// field sends the form while its lookup is under way).
let lookup = Promise.resolve();
let idempotencyKey = randomId();
let resetAddress = () => {}; // address_search.js, for the next call

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

function setSpot(where, { fillFields = true } = {}) {
  lookup = locateSpot(where, fillFields);
  return lookup;
}

const stillPicked = (where) => spot !== null && spot.lat === where.lat && spot.lon === where.lon;

async function locateSpot(where, fillFields) {
  spot = { ...where, neighborhood: null };
  if (fillFields) {
    $('#lat').value = where.lat;
    $('#lon').value = where.lon;
  }
  map?.setPin(where);
  const located = $('#located');
  located.dataset.slug = '';
  try {
    const found = await get(`/v1/neighborhoods/locate?lat=${where.lat}&lon=${where.lon}`);
    if (!stillPicked(where)) return; // a newer pick overtook this one
    spot.neighborhood = found.slug;
    // A tap on the whole city is rough: zoom in so a second tap can be exact.
    if (map && !map.zoomed()) map.focus(found.slug);
    located.dataset.slug = found.slug;
    say(located, 'intake.locatedIn', { name: found.name }, 'located ok');
    showSuggestions([]);
    clearProblem(['intake.needSpot', 'intake.outside', 'intake.badCoordinates']);
  } catch (e) {
    if (!stillPicked(where)) return;
    say(located, e.code === 'outside_coverage' ? 'intake.outside' : 'intake.locateFailed', {}, 'located error');
  }
}

// The spot as typed: one number a field, a decimal comma or point, or both pasted as one pair
// into either field (spread over the two). Nothing happens until both fields hold something.
function typedSpot() {
  const [latText, lonText] = [$('#lat').value, $('#lon').value];
  const pair = readPair(latText) || readPair(lonText);
  if (pair) return setSpot(pair);
  if (latText.trim() === '' || lonText.trim() === '') return;
  const [lat, lon] = [readCoordinate(latText), readCoordinate(lonText)];
  if (lat === null || lon === null || !validSpot(lat, lon)) {
    spot = null;
    $('#located').dataset.slug = '';
    return say($('#located'), 'intake.badCoordinates', {}, 'located error');
  }
  if (spot && spot.lat === lat && spot.lon === lon) return;
  setSpot({ lat, lon }, { fillFields: false });
}

// A pair pasted into one field is spread over both at once (typed, it waits for the change:
// "34.03 -1" on the way to "34.03 -118.21" is a pair too).
function pastedPair(event) {
  if (event.inputType !== 'insertFromPaste') return;
  const pair = readPair(event.target.value);
  if (pair) setSpot(pair);
}

function pickNeighborhood(name) {
  const slug = map?.slugs().find((s) => map.name(s) === name);
  if (!slug) return;
  $('#neighborhood-name').value = name;
  map.focus(slug);
  setSpot(map.interiorPoint(slug));
}

// A place the address search found: its point is the spot (the neighborhood's lookup follows),
// and its words the place, unless the operator already wrote the caller's own.
function pickAddress({ lat, lon, name }) {
  const place = $('#place');
  if (!place.value.trim() && name) {
    place.value = name;
    countLength(place);
  }
  setSpot({ lat, lon });
  $('input[name="kind"]')?.focus();
}

// A name as typed: the neighborhood, accents and case aside; else the ones it may mean, to pick
// with one tap; else a message that there is none of that name.
function namedSpot() {
  const typed = $('#neighborhood-name').value.trim();
  if (!map || !typed) return showSuggestions([]);
  const names = map.slugs().map((s) => map.name(s));
  const name = exactName(typed, names);
  if (name) return pickNeighborhood(name);
  const likely = likelyNames(typed, names);
  $('#located').dataset.slug = '';
  say($('#located'), likely.length ? 'intake.didYouMean' : 'intake.noSuchNeighborhood', { name: typed }, 'located error');
  showSuggestions(likely);
}

function showSuggestions(names) {
  const box = $('#name-suggestions');
  box.replaceChildren(
    ...names.map((name) => el('button', { type: 'button', class: 'suggestion', onclick: () => pickNeighborhood(name) }, name)),
  );
  show(box, names.length > 0);
}

// The form's error goes once what it asked for is done (a stale "pick the spot" under a
// neighborhood just picked misleads).
function clearProblem(keys) {
  const error = $('#form-error');
  if (!error.hidden && keys.includes(error.dataset.i18n)) show(error, false);
}

// Each limited field shows its length against the server's limit, in the server's unit.
function countLength(field) {
  const limit = Number(field.dataset.limit);
  const used = utf8Bytes(field.value);
  const count = $(`#${field.id}-count`);
  setText(count, 'intake.length', { used, limit });
  count.classList.toggle('over', used > limit);
  if (used <= limit) clearProblem(['intake.tooLong']);
}

function formProblem() {
  if (!spot) return ['intake.needSpot'];
  if (!spot.neighborhood) return ['intake.outside'];
  if (!$('input[name="kind"]:checked')) return ['intake.needKind'];
  const over = $$('[data-limit]').find((field) => utf8Bytes(field.value) > Number(field.dataset.limit));
  if (over) return ['intake.tooLong', { field: over.closest('label').querySelector('span').textContent }];
  return null;
}

// A refusal in the page's language and plain words: by the server's code where the page knows
// it, else the general words with the code for whoever helps.
function refusalText(e) {
  if (e.status === 0) return ['serverError.network'];
  const key = `serverError.${e.code}`;
  return t(key) === key ? ['serverError.other', { code: e.code }] : [key];
}

async function submit(event) {
  event.preventDefault();
  const error = $('#form-error');
  // The spot typed last counts, and its lookup must be done before the form is judged.
  typedSpot();
  $('#submit').disabled = true;
  await lookup;
  $('#submit').disabled = false;
  const problem = formProblem();
  if (problem) {
    say(error, problem[0], problem[1], 'error');
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
  const phone = $('#caller-phone').value.trim();
  if (phone) report.callerPhone = phone;
  $('#submit').disabled = true;
  try {
    const { status, body } = await post('/v1/reports', report);
    showResult(status, body);
  } catch (e) {
    const [key, values] = refusalText(e);
    say(error, key, values, 'error');
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
  setText($('#result-detail'), 'intake.outcomeDetail', { id: incident.id || '—', count: (incident.reports || []).length });
  showReach(receipt.reach, name);
  show($('#report'), false);
  show(result, true);
  $('#next-call').focus();
}

// Who the incident's call reached (the receipt's `reach`; proto3 JSON leaves zeros out). None
// alerted, none of them connected, or not sent at all: a warning the operator cannot miss, saying
// what to do.
function showReach(reach, name) {
  const result = $('#result');
  const alerted = reach?.alerted || 0;
  const connected = reach?.connected || 0;
  result.dataset.alerted = reach ? alerted : '';
  result.dataset.connected = reach ? connected : '';
  const line = $('#result-reach');
  if (reach) setText(line, 'intake.reach', { count: alerted, connected });
  show(line, Boolean(reach));
  const warning = !reach ? 'intake.warnNotSent' : alerted === 0 ? 'intake.warnNobody' : connected === 0 ? 'intake.warnNoneConnected' : null;
  result.classList.toggle('warned', Boolean(warning));
  const box = $('#result-warning');
  box.dataset.warning = warning || '';
  if (warning) setText(box, warning, { name, count: alerted });
  show(box, Boolean(warning));
}

function nextCall() {
  $('#report').reset();
  $('#caller-language').value = 'es';
  spot = null;
  lookup = Promise.resolve();
  idempotencyKey = randomId();
  map?.setPin(null);
  map?.focus(null);
  $('#located').textContent = '';
  $('#located').dataset.slug = '';
  showSuggestions([]);
  resetAddress();
  for (const field of $$('[data-limit]')) countLength(field);
  show($('#form-error'), false);
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
    $('#lat').addEventListener('input', pastedPair);
    $('#lon').addEventListener('input', pastedPair);
    $('#neighborhood-name').addEventListener('change', namedSpot);
    $('#kinds').addEventListener('change', () => clearProblem(['intake.needKind']));
    resetAddress = startAddressSearch({ onPick: pickAddress, hoodName: (slug) => map?.name(slug) || slug });
    for (const field of $$('[data-limit]')) {
      field.addEventListener('input', () => countLength(field));
      countLength(field);
    }
    try {
      map = await NeighborhoodMap.load($('#map'), { onPick: (where) => setSpot(where) });
      const names = map.slugs().map((s) => map.name(s)).sort((a, b) => a.localeCompare(b, currentLanguage()));
      $('#neighborhood-names').replaceChildren(...names.map((name) => el('option', { value: name })));
    } catch (e) {
      if (e.status === 401) rejected('signIn.rejected');
    }
  },
});

