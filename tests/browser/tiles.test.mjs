// Map tiles by config ([web] tiles_*), in a real Chromium against real puented nodes (started by
// browser_test.cpp, one network per setting):
//   - tiles_dir: the board draws the node's own tiles (written here) under the neighborhoods,
//     each where Web Mercator puts it, with their credit; a screenshot for a reviewer;
//   - tiles_url on another origin (tile_server.mjs): the page's policy lets that origin into
//     img-src and nothing more, and the board's and the intake page's tiles load from it;
//   - no tiles: the pages ask for none;
//   - with tiles the board and intake maps zoom (wheel, +/- buttons, keys) and pan (drag,
//     arrows), a drag is no click, and incidents too near to tell apart at the present zoom
//     gather into a count marker that a click (or Enter) zooms into until they part (issue 20).
// Every page fails its test on a page error, a Content-Security-Policy violation or a request
// to an origin it was not meant to reach.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { onlyPixel } from './png.mjs';
import { WAIT_MS, apiOk, env, launch, open, untranslated } from './pages.mjs';
import { LA_AREA, tileAt, tileColor, worldX, worldY, writeTiles } from './tiles.mjs';

const OWN = {
  origin: env('PUENTE_TILES_OWN_NODE'),
  dispatcher: env('PUENTE_TILES_OWN_DISPATCHER'),
  operator: env('PUENTE_TILES_OWN_OPERATOR'),
  dir: env('PUENTE_TILES_OWN_DIR'),
};
const REMOTE = {
  origin: env('PUENTE_TILES_REMOTE_NODE'),
  dispatcher: env('PUENTE_TILES_REMOTE_DISPATCHER'),
  operator: env('PUENTE_TILES_REMOTE_OPERATOR'),
  tiles: env('PUENTE_TILE_SERVER'),
};
const NONE = { origin: env('PUENTE_TILES_NONE_NODE'), dispatcher: env('PUENTE_TILES_NONE_DISPATCHER'), operator: env('PUENTE_TILES_NONE_OPERATOR') };
// As browser_test.cpp configures the nodes.
const OWN_MAX_ZOOM = 11;
const OWN_CREDIT = 'Base map: Puente test tiles';
const REMOTE_ATTRIBUTION = 'Test tile server';
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const CITY_HALL = { lat: 34.0537, lon: -118.2428, slug: 'downtown' };

let browser;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function imagePolicy(origin) {
  const response = await fetch(`${origin}/board.html`);
  const csp = response.headers.get('content-security-policy');
  return csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('img-src'));
}

// Until every tile the map drew has loaded (a tile that cannot load fails the wait).
async function tilesLoaded(page) {
  await page.waitForFunction(() => {
    const tiles = [...document.querySelectorAll('.map image.tile')];
    return tiles.length > 0 && tiles.every((t) => t.classList.contains('loaded'));
  }, null, { timeout: WAIT_MS });
}

const tileResponses = async (page, origin, prefix = '/') => {
  const requests = page.requests.filter((r) => r.resourceType() === 'image' && r.url().startsWith(origin + prefix));
  return Promise.all(requests.map((r) => r.response()));
};

// The neighborhoods' extent in world coordinates, from the outlines the node serves.
async function extent(origin, token) {
  const response = await fetch(`${origin}/v1/neighborhoods/map`, { headers: { Authorization: `Bearer ${token}` } });
  const points = (await response.json()).features.flatMap((f) => f.geometry.coordinates.flat(2));
  // A fold, not Math.min(...): tens of thousands of arguments can overflow the stack.
  const range = (values) => values.reduce(([low, high], v) => [Math.min(low, v), Math.max(high, v)], [Infinity, -Infinity]);
  const [left, right] = range(points.map(([lon]) => worldX(lon)));
  const [top, bottom] = range(points.map(([, lat]) => worldY(lat)));
  return { left, right, top, bottom };
}

test('tiles from the node\'s own folder are drawn under the neighborhoods, each where Web Mercator puts it', async () => {
  const written = await writeTiles(OWN.dir, LA_AREA, OWN_MAX_ZOOM);
  assert.equal(await imagePolicy(OWN.origin), "img-src 'self' data:", 'tiles of its own need no other origin');

  const board = await open(browser, OWN.origin, '/board.html', OWN.dispatcher);
  await tilesLoaded(board);
  await board.mouse.move(0, 0); // no neighborhood under the pointer (hover changes its color)
  const responses = await tileResponses(board, OWN.origin, '/tiles/');
  assert.ok(responses.length > 0 && responses.length < written, `${responses.length} tiles asked for`);
  for (const r of responses) {
    assert.equal(r.status(), 200, r.url());
    assert.equal(r.headers()['content-type'], 'image/png', r.url());
  }

  // Where the page put the shapes and the tiles, on screen.
  const world = await extent(OWN.origin, OWN.dispatcher);
  const drawn = await board.evaluate(() => {
    const box = (e) => e.getBoundingClientRect().toJSON();
    return {
      hoods: box(document.querySelector('.map .hoods')),
      tiles: [...document.querySelectorAll('.map image.tile')].map((t) => ({ tile: t.dataset.tile, ...box(t) })),
    };
  });
  // World coordinates -> screen, scaled from the shapes' own box.
  const screenX = (x) => drawn.hoods.left + ((x - world.left) / (world.right - world.left)) * drawn.hoods.width;
  const screenY = (y) => drawn.hoods.top + ((y - world.top) / (world.bottom - world.top)) * drawn.hoods.height;
  const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1.5, `${what}: ${a.toFixed(2)} drawn, ${b.toFixed(2)} expected`);
  const zooms = new Set();
  for (const { tile, left, top, width } of drawn.tiles) {
    const [z, x, y] = tile.split('/').map(Number);
    zooms.add(z);
    near(left, screenX(x / 2 ** z), `left edge of ${tile}`);
    near(top, screenY(y / 2 ** z), `top edge of ${tile}`);
    near(left + width, screenX((x + 1) / 2 ** z), `right edge of ${tile}`);
  }
  assert.equal(zooms.size, 1, `one zoom at a time, not ${[...zooms]}`);
  const [zoom] = zooms;

  // City Hall: downtown's shape lies over the tile that holds it, which shows through.
  const at = { x: screenX(worldX(CITY_HALL.lon)), y: screenY(worldY(CITY_HALL.lat)) };
  const stack = await board.evaluate(({ x, y }) =>
    document.elementsFromPoint(x, y).map((e) => (e.matches('.hood') ? `hood ${e.dataset.slug}` : e.matches('.tile') ? `tile ${e.dataset.tile}` : e.tagName)),
  at);
  const [x, y] = tileAt(zoom, CITY_HALL.lat, CITY_HALL.lon);
  const hood = stack.indexOf(`hood ${CITY_HALL.slug}`);
  const tile = stack.indexOf(`tile ${zoom}/${x}/${y}`);
  assert.ok(hood >= 0 && tile > hood, `downtown above its tile at City Hall: ${stack.join(', ')}`);
  const pixel = onlyPixel(await board.screenshot({ clip: { x: Math.round(at.x), y: Math.round(at.y), width: 1, height: 1 }, animations: 'disabled' }));
  // The tile's color under the neighborhoods' white veil (fill-opacity 0.2 in puente.css).
  const expected = tileColor(zoom, x, y).map((c) => 0.8 * c + 0.2 * 255);
  assert.ok(pixel.every((c, i) => Math.abs(c - expected[i]) <= 30), `City Hall shows ${pixel}, expected about ${expected.map(Math.round)}`);

  assert.equal(await board.locator('#map .map-credit').textContent(), OWN_CREDIT);
  await board.screenshot({ path: `${ARTIFACTS}/board-tiles-desktop.png`, animations: 'disabled' });
  assert.deepEqual(board.problems, []);
  await board.context().close();
});

test('tiles from a tile server on another origin: the policy lets that origin in for images alone, and they load', async () => {
  assert.equal(await imagePolicy(REMOTE.origin), `img-src 'self' data: ${REMOTE.tiles}`);
  const response = await fetch(`${REMOTE.origin}/board.html`);
  const csp = response.headers.get('content-security-policy');
  assert.equal(csp.split(new URL(REMOTE.tiles).host).length, 2, `the tile server named once: ${csp}`);

  // In Spanish: the credit too.
  const board = await open(browser, REMOTE.origin, '/board.html', REMOTE.dispatcher, { alsoFrom: [REMOTE.tiles], language: 'es' });
  await tilesLoaded(board);
  const responses = await tileResponses(board, REMOTE.tiles);
  assert.ok(responses.length > 0);
  for (const r of responses) assert.equal(r.status(), 200, r.url());
  assert.equal(await board.locator('#map .map-credit').textContent(), `Mapa base: ${REMOTE_ATTRIBUTION}`);
  const es = JSON.parse(await readFile(new URL('../../server/web/i18n/es.json', import.meta.url), 'utf8'));
  assert.deepEqual(await untranslated(board, es), []);
  assert.deepEqual(board.problems, []);
  await board.context().close();

  // The intake page draws the same tiles, and deeper ones when it zooms to a neighborhood.
  const intake = await open(browser, REMOTE.origin, '/intake.html', REMOTE.operator, { alsoFrom: [REMOTE.tiles] });
  await tilesLoaded(intake);
  const zoomOf = () => intake.$eval('.map image.tile', (t) => Number(t.dataset.tile.split('/')[0]));
  const cityZoom = await zoomOf();
  await intake.locator('#neighborhood-name').fill('Boyle Heights');
  await intake.locator('#neighborhood-name').press('Tab');
  await intake.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  await intake.waitForFunction((z) => [...document.querySelectorAll('.map image.tile')].every((t) => Number(t.dataset.tile.split('/')[0]) > z), cityZoom, { timeout: WAIT_MS });
  await tilesLoaded(intake);
  assert.ok((await zoomOf()) > cityZoom);
  assert.deepEqual(intake.problems, []);
  await intake.context().close();
});

test('with no tiles configured the maps ask for none', async () => {
  assert.equal(await imagePolicy(NONE.origin), "img-src 'self' data:");
  for (const [path, token] of [['/board.html', NONE.dispatcher], ['/intake.html', NONE.operator]]) {
    const page = await open(browser, NONE.origin, path, token);
    await page.locator('.map .hood').first().waitFor({ timeout: WAIT_MS });
    // Time for a tile layer to draw, were there one: it draws on the first frame after the map.
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.map image, .map-credit').count(), 0, path);
    const images = page.requests.filter(
      (r) => !r.url().startsWith('data:') && (r.resourceType() === 'image' || new URL(r.url()).pathname.startsWith('/tiles/')),
    );
    assert.deepEqual(images.map((r) => r.url()), [], path);
    assert.ok(page.requests.some((r) => r.url().endsWith('/v1/neighborhoods/map/tiles')), `${path} asked its node whether there are tiles`);
    assert.deepEqual(page.problems, [], path);
    await page.context().close();
  }
});

// The map's viewBox as [x, y, width, height].
const viewOf = (page) => page.$eval('#map svg.map', (svg) => svg.getAttribute('viewBox').split(' ').map(Number));
const tileZoom = (page) => page.$eval('.map image.tile', (t) => Number(t.dataset.tile.split('/')[0]));

async function until(check, what) {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > end) throw new Error(`not within the wait: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('with tiles the board zooms and pans, and incidents too near gather into a count that opens', async () => {
  // Three incidents about 900 m apart in Boyle Heights (too far to corroborate): over the whole
  // city they would overlap.
  const ids = [];
  for (const i of [0, 1, 2]) {
    const receipt = await apiOk(OWN.origin, 'POST', '/v1/reports', OWN.operator, { kind: 'RAID', location: { lat: 34.025 + i * 0.008, lon: -118.22 } });
    ids.push(receipt.incident.id);
  }
  const board = await open(browser, OWN.origin, '/board.html', OWN.dispatcher);
  await tilesLoaded(board);
  const map = board.locator('#map svg.map');
  await board.locator('#map .marker-cluster').first().waitFor({ timeout: WAIT_MS });
  const shown = () => board.$$eval('#map .marker', (all) => all.map((m) => (m.dataset.cluster ? m.dataset.cluster.split(' ') : [m.dataset.incident])));
  // Each incident once, and some of them together in a count marker that says how many.
  const groups = await shown();
  assert.deepEqual(groups.flat().sort(), [...ids].sort(), JSON.stringify(groups));
  const cluster = board.locator('#map .marker-cluster').first();
  const members = (await cluster.getAttribute('data-cluster')).split(' ');
  assert.ok(members.length >= 2);
  assert.equal(await cluster.locator('.marker-sign').textContent(), String(members.length));
  assert.equal(await cluster.getAttribute('aria-label'), `${members.length} incidents here: open to zoom in and tell them apart`);
  await board.screenshot({ path: `${ARTIFACTS}/board-tiles-cluster.png`, animations: 'disabled' });

  const whole = await viewOf(board);
  const cityZoom = await tileZoom(board);
  // The wheel zooms in where the pointer is, and deeper tiles are drawn.
  const box = await map.boundingBox();
  const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await board.mouse.move(middle.x, middle.y);
  for (let i = 0; i < 4; i++) await board.mouse.wheel(0, -120);
  await until(async () => (await viewOf(board))[2] < whole[2] / 2, 'the wheel zoomed in');
  await until(async () => (await tileZoom(board)) > cityZoom, 'deeper tiles');
  await tilesLoaded(board);

  // The buttons: + halves the width, - doubles it.
  let [, , width] = await viewOf(board);
  await board.locator('#map .map-zoom.zoom-in').click();
  assert.ok(Math.abs((await viewOf(board))[2] - width / 2) < 1e-6 * width);
  await board.locator('#map .map-zoom.zoom-out').click();
  assert.ok(Math.abs((await viewOf(board))[2] - width) < 1e-6 * width);
  assert.equal(await board.locator('#map .map-zoom.zoom-in').getAttribute('aria-label'), 'Zoom in');

  // A drag to the left moves the view east; it is no click (nothing gets selected).
  const before = await viewOf(board);
  await board.mouse.move(middle.x, middle.y);
  await board.mouse.down();
  await board.mouse.move(middle.x - 120, middle.y + 40, { steps: 6 });
  await board.mouse.up();
  const after = await viewOf(board);
  assert.ok(after[0] > before[0] && after[1] < before[1], `dragged: ${before} -> ${after}`);
  assert.equal(after[2], before[2], 'a drag does not zoom');
  assert.equal(await board.locator('#detail').isHidden(), true, 'the drag selected an incident');

  // From the keyboard: the map takes the focus, an arrow pans, - zooms out to the whole city.
  await map.focus();
  [, , width] = await viewOf(board);
  const x = (await viewOf(board))[0];
  await board.keyboard.press('ArrowLeft');
  assert.ok((await viewOf(board))[0] < x, 'ArrowLeft panned west');
  for (let i = 0; i < 12; i++) await board.keyboard.press('-');
  assert.deepEqual(await viewOf(board), whole, 'zoomed out to the whole map');

  // A count marker opened by keyboard zooms in and keeps the focus on one of its incidents (or
  // the smaller group that holds it), then by clicks until every incident stands alone.
  await board.locator('#map .marker-cluster').first().focus();
  await board.keyboard.press('Enter');
  await until(async () => (await viewOf(board))[2] < whole[2], 'the count marker zoomed in');
  assert.ok(await board.evaluate(() => Boolean(document.activeElement?.closest?.('#map .marker'))), 'the focus left the markers');
  for (let i = 0; i < 6 && (await board.locator('#map .marker-cluster').count()) > 0; i++) await board.locator('#map .marker-cluster').first().click();
  assert.deepEqual((await shown()).map((g) => g.length), [1, 1, 1]);
  // Each stands where Web Mercator puts it: the middle one between the others.
  const centre = (id) => board.locator(`#map [data-incident="${id}"]`).boundingBox().then((b) => b.y + b.height / 2);
  const ys = await Promise.all(ids.map(centre));
  assert.ok(ys[0] > ys[1] && ys[1] > ys[2], `north is up: ${ys}`);
  await tilesLoaded(board);
  await board.screenshot({ path: `${ARTIFACTS}/board-tiles-zoomed.png`, animations: 'disabled' });
  assert.deepEqual(board.problems, []);
  await board.context().close();
});

test('with tiles the intake map zooms and pans, and only a click picks the spot', async () => {
  const intake = await open(browser, OWN.origin, '/intake.html', OWN.operator);
  await tilesLoaded(intake);
  const map = intake.locator('#map svg.map');
  const whole = await viewOf(intake);
  await intake.locator('#map .map-zoom.zoom-in').click();
  assert.ok((await viewOf(intake))[2] < whole[2]);
  const box = await map.boundingBox();
  const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await intake.mouse.move(middle.x, middle.y);
  await intake.mouse.down();
  await intake.mouse.move(middle.x + 80, middle.y, { steps: 5 });
  await intake.mouse.up();
  assert.equal(await intake.locator('#lat').inputValue(), '', 'a drag picked a spot');
  await intake.mouse.wheel(0, 240); // out
  await intake.locator('#map .map-zoom.zoom-out').click();
  assert.deepEqual(await viewOf(intake), whole);
  // A click on Boyle Heights picks it (and zooms there, as without tiles).
  await intake.locator('#neighborhood-name').fill('Boyle Heights');
  await intake.locator('#neighborhood-name').press('Tab');
  await intake.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  const named = await intake.locator('#lat').inputValue();
  const pin = await intake.locator('.map .pin').boundingBox();
  await intake.mouse.click(pin.x + pin.width / 2 + 6, pin.y + pin.height / 2 + 6);
  await until(async () => (await intake.locator('#lat').inputValue()) !== named && (await intake.locator('#located').getAttribute('data-slug')) === 'boyle-heights', 'a click picked the spot');
  // The pin keeps its size on screen however deep the map is.
  const deeper = await intake.locator('.map .pin').boundingBox();
  await intake.locator('#map .map-zoom.zoom-in').click();
  const deepest = await intake.locator('.map .pin').boundingBox();
  assert.ok(Math.abs(deepest.width - deeper.width) < 1.5, `${deeper.width} -> ${deepest.width}`);
  assert.deepEqual(intake.problems, []);
  await intake.context().close();
});
