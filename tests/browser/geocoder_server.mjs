// A geocoder "the network runs", for the address search tests: it answers the Nominatim search
// API (GET /search?q=&format=jsonv2|json&limit=&viewbox=&bounded=1) from a small gazetteer of
// Los Angeles places, in Nominatim's own shape (lat and lon as strings, display_name, ...), the
// way Nominatim and Photon's Nominatim-compatible mode answer. A place matches when every word
// of the query (accents, case and punctuation aside) is in its name; with bounded=1 only places
// inside the viewbox (west,north,east,south) are answered. A few queries answer as a geocoder
// that fails does: "bad answer" (an HTML page with 200), "server error" (500), "hang" (no
// answer at all). GET /last answers the query string of the last search, for the tests to
// check what puented asked.
//
//   node geocoder_server.mjs /tmp/dir/port [CERT KEY]   (writes the port it listens on, for C++
//                                                      tests; HTTPS with the PEM files given)
//   import { startGeocoder } from './geocoder_server.mjs'   (in a Node test)

import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// The gazetteer: [lat, lon, display_name, category, type]. The first three lie in Boyle Heights,
// City Hall downtown, the last outside Los Angeles (bounded=1 leaves it out).
export const PLACES = [
  ['34.0476', '-118.2087', 'César E. Chávez Avenue & North Soto Street, Boyle Heights, Los Angeles, California, 90033, United States', 'highway', 'crossing'],
  ['34.0441', '-118.2107', 'East 1st Street & South Soto Street, Boyle Heights, Los Angeles, California, 90033, United States', 'highway', 'crossing'],
  ['34.0455', '-118.2150', 'Mariachi Plaza, East 1st Street, Boyle Heights, Los Angeles, California, 90033, United States', 'place', 'square'],
  ['34.0537', '-118.2428', 'Los Angeles City Hall, 200 North Spring Street, Downtown, Los Angeles, California, 90012, United States', 'amenity', 'townhall'],
  ['37.7609', '-122.4350', 'Soto Street & César Chávez Street, San Francisco, California, United States', 'highway', 'crossing'],
];

const words = (text) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

function inViewbox([lat, lon], viewbox) {
  const [west, north, east, south] = viewbox.split(',').map(Number);
  const [x, y] = [Number(lon), Number(lat)];
  return x >= Math.min(west, east) && x <= Math.max(west, east) && y >= Math.min(north, south) && y <= Math.max(north, south);
}

// Nominatim's answer for one place, in the format asked for.
function nominatimPlace([lat, lon, name, category, type], index, format) {
  const place = {
    place_id: 1000 + index,
    licence: 'Data © OpenStreetMap contributors, ODbL 1.0. https://osm.org/copyright',
    osm_type: 'node',
    osm_id: 5000 + index,
    lat,
    lon,
    display_name: name,
    importance: 0.5 - index / 100,
    boundingbox: [String(Number(lat) - 0.0005), String(Number(lat) + 0.0005), String(Number(lon) - 0.0005), String(Number(lon) + 0.0005)],
  };
  // jsonv2 says category and place_rank where json says class.
  if (format === 'jsonv2') Object.assign(place, { place_rank: 26, category, type, addresstype: type, name: name.split(',')[0] });
  else Object.assign(place, { class: category, type });
  return place;
}

function search(params) {
  const query = params.get('q') || '';
  const wanted = words(query);
  const limit = Math.min(Number(params.get('limit') || 10), 40);
  const bounded = params.get('bounded') === '1' && params.get('viewbox');
  return PLACES.map((place, index) => [place, index])
    .filter(([place]) => wanted.length && wanted.every((word) => words(place[2]).includes(word)))
    .filter(([place]) => !bounded || inViewbox(place, params.get('viewbox')))
    .slice(0, limit)
    .map(([place, index]) => nominatimPlace(place, index, params.get('format')));
}

// Listens on a free loopback port (HTTPS with `tls`: { cert, key } PEM); answers { server, origin }.
export function startGeocoder(tls) {
  let last = '';
  const answer = (request, response) => {
    const url = new URL(request.url, 'http://geocoder.test');
    if (request.method === 'GET' && url.pathname === '/last') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end(last);
      return;
    }
    if (request.method !== 'GET' || url.pathname !== '/search') {
      response.writeHead(404).end();
      return;
    }
    last = url.search;
    const q = url.searchParams.get('q') || '';
    if (q === 'hang') return; // never answers: the caller's deadline must end it
    if (q === 'server error') {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      return;
    }
    if (q === 'bad answer') {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>Service temporarily unavailable</body></html>');
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(search(url.searchParams)));
  };
  const server = tls ? createTlsServer(tls, answer) : createServer(answer);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}` }));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portFile = process.argv[2];
  if (!portFile) throw new Error('usage: node geocoder_server.mjs PORT_FILE');
  const [cert, key] = process.argv.slice(3);
  const { server } = await startGeocoder(cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : undefined);
  writeFileSync(portFile, `${server.address().port}\n`);
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
