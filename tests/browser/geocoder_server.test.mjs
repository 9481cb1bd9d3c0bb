// The tests' geocoder (geocoder_server.mjs) answers as Nominatim does: checked by an
// implementation of the Nominatim client of its own, npm's node-geocoder (its "openstreetmap"
// provider, locked in package-lock.json), pointed at it with osmServer. Without a browser; run
// by ctest as PagesGeocoderSpeaksNominatim and by the address search tests before they lean on it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import NodeGeocoder from 'node-geocoder';

import { startGeocoder } from './geocoder_server.mjs';

let geocoder;
let nominatim;
before(async () => {
  geocoder = await startGeocoder();
  nominatim = NodeGeocoder({ provider: 'openstreetmap', osmServer: geocoder.origin });
});
after(() => {
  geocoder.server.closeAllConnections();
  geocoder.server.close();
});

test('node-geocoder reads the crossing an operator types, with its coordinates and street', async () => {
  const found = await nominatim.geocode('César Chávez & Soto');
  assert.ok(found.length >= 1, JSON.stringify(found));
  const [first] = found;
  assert.equal(first.latitude, 34.0476);
  assert.equal(first.longitude, -118.2087);
  assert.match(first.formattedAddress, /Chávez Avenue & North Soto Street, Boyle Heights/);
  assert.equal(found.raw[0].display_name, first.formattedAddress);
});

test('node-geocoder bounded by a viewbox gets only the places inside it', async () => {
  const everywhere = await nominatim.geocode({ q: 'Soto Chavez' });
  assert.equal(everywhere.length, 2, 'the gazetteer has a Soto & Chávez in San Francisco too');
  const inLosAngeles = await nominatim.geocode({ q: 'Soto Chavez', viewbox: '-118.67,34.34,-118.15,33.70', bounded: 1 });
  assert.deepEqual(inLosAngeles.map((p) => [p.latitude, p.longitude]), [[34.0476, -118.2087]]);
  const none = await nominatim.geocode('Calle Inexistente');
  assert.equal(none.length, 0);
});

test('the jsonv2 answer puented asks for has the fields of Nominatim\'s own', async () => {
  const response = await fetch(`${geocoder.origin}/search?q=${encodeURIComponent('Mariachi Plaza')}&format=jsonv2&limit=5`);
  assert.equal(response.status, 200);
  const [place] = await response.json();
  for (const field of ['place_id', 'licence', 'osm_type', 'osm_id', 'lat', 'lon', 'category', 'type', 'place_rank', 'importance', 'addresstype', 'name', 'display_name', 'boundingbox'])
    assert.ok(field in place, `jsonv2 has no ${field}`);
  assert.equal(typeof place.lat, 'string', 'Nominatim sends lat and lon as strings');
});
