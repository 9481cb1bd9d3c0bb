// Address search on the intake page (issue 20): the operator types what the caller says ("César
// Chávez & Soto"), the node asks the network's geocoder (POST /v1/geocode; [geography]
// geocoder_url, the Nominatim search API) for places inside the network's area, and one tap on a
// place found makes it the report's spot. The address goes in the request's body, never in a
// URL. A network without a geocoder is told how to set one up; a geocoder that fails is said
// plainly, with the map and the neighborhood's name still there to use.

import { post } from './api.js';
import { $, el, show } from './dom.js';
import { setText } from './i18n.js';

// The place words a report keeps: the first two parts of the geocoder's name ("César E. Chávez
// Avenue & North Soto Street, Boyle Heights"), not the county and the country.
export const shortPlaceName = (name) => name.split(',').slice(0, 2).map((part) => part.trim()).filter(Boolean).join(', ');

// Why a search found nothing to pick, by the node's error code.
const FAILURES = {
  geocoder_not_configured: 'address.off',
  bad_search: 'address.empty',
  rate_limited: 'address.limited',
  network: 'address.offline',
};

// onPick({ lat, lon, name }) when the operator taps a place found; hoodName(slug) its
// neighborhood's name for the list.
export function startAddressSearch({ onPick, hoodName }) {
  const field = $('#address');
  const status = $('#address-status');
  const results = $('#address-results');
  let asked = 0; // the latest search: an older answer arriving late is dropped

  const say = (key, values) => {
    status.dataset.state = key;
    setText(status, key, values);
    status.className = `address-status${key === 'address.found' || key === 'address.searching' ? '' : ' error'}`;
  };

  function showPlaces(places) {
    results.replaceChildren(...places.map((place) => el('li', {},
      el('button', { type: 'button', class: 'suggestion address-place', dataset: { lat: place.lat, lon: place.lon, neighborhood: place.neighborhood || '' }, onclick: () => pick(place) },
        shortPlaceName(place.name || `${place.lat}, ${place.lon}`),
        place.neighborhood ? el('span', { class: 'address-hood' }, ` · ${hoodName(place.neighborhood)}`) : null))));
    show(results, places.length > 0);
  }

  function pick(place) {
    showPlaces([]);
    delete status.dataset.state;
    status.textContent = '';
    onPick({ lat: place.lat, lon: place.lon, name: shortPlaceName(place.name || '') });
  }

  async function search() {
    const text = field.value.trim();
    showPlaces([]);
    if (!text) return say('address.empty');
    const mine = ++asked;
    say('address.searching');
    try {
      const { body } = await post('/v1/geocode', { text });
      if (mine !== asked) return;
      const places = body.places || [];
      if (!places.length) return say('address.none', { text });
      say('address.found', { count: places.length });
      showPlaces(places);
      results.querySelector('button')?.focus();
    } catch (e) {
      if (mine !== asked) return;
      say(FAILURES[e.code] || 'address.failed', { code: e.code });
    }
  }

  $('#address-find').addEventListener('click', search);
  // Enter in the address field searches; it must not send the report.
  field.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    search();
  });

  // For the next call: nothing of the last caller's address stays.
  return function reset() {
    asked++;
    field.value = '';
    showPlaces([]);
    delete status.dataset.state;
    status.textContent = '';
  };
}
