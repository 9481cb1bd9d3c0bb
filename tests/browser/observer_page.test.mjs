// Issue 20, the observer's page on a real night (run by browser_test.cpp against one node):
// only alerts new since this phone showed them ring, once for a burst; "seen" is sent when the
// card was on screen; the card shows what the caller said, a directions link, an UPDATE's
// words and its text in the page's language; a STAND DOWN card has "I'm out, safe"; an
// off-shift observer is told so and can say "I'm available for 2 h"; a reconnect whose history
// did not reach back leaves no notice once everything was read again.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { WAIT_MS, env, launch, open, openPage, signIn } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const OFF_SHIFT = env('PUENTE_TOKEN_OFF_SHIFT');
const ARTIFACTS = env('PUENTE_ARTIFACTS');

// Boyle Heights, 0.008 degrees apart (tests/harness: boyle_heights_spot): each report its own
// incident. Each test takes spots of its own.
const spot = (i) => ({ lat: 34.025 + (i % 3) * 0.008, lon: -118.22 + (Math.floor(i / 3) % 4) * 0.008 });

// Counts the page's vibrations (each ring vibrates once) in window.vibrations.
const countVibrations = () => {
  window.vibrations = 0;
  Object.defineProperty(navigator, 'vibrate', { value: () => { window.vibrations++; return true; } });
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function call(method, path, token, body) {
  const response = await fetch(`${NODE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function report(where, description = '') {
  const receipt = await call('POST', '/v1/reports', OPERATOR, { location: where, kind: 'RAID', description });
  return receipt.incident.id;
}

// The incidents the page said "seen" for (acks RECEIVED it posted).
function seenFor(page) {
  return new Set(page.requests
    .filter((r) => r.method() === 'POST' && r.url().endsWith('/v1/acks') && JSON.parse(r.postData()).state === 'RECEIVED')
    .map((r) => JSON.parse(r.postData()).incidentId));
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('only alerts this phone never showed ring, once for a burst, and "seen" means the card was on screen', async () => {
  const ids = [];
  for (let i = 0; i < 6; i++) ids.push(await report(spot(i), `van ${i}`));
  const page = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone', init: countVibrations });
  const cards = page.locator('.alert-card');
  await cards.nth(5).waitFor({ state: 'attached', timeout: WAIT_MS });
  await pause(1500);
  assert.equal(await page.evaluate(() => window.vibrations), 1, 'six fresh alerts should ring once together');

  // Newest first: the last card is the first incident's, below the fold.
  const last = cards.nth(5);
  assert.equal(await last.getAttribute('data-incident'), ids[0]);
  assert.ok(await last.evaluate((card) => card.getBoundingClientRect().top > innerHeight), 'the last card is on screen');
  const seen = seenFor(page);
  assert.ok(seen.size >= 1, 'no card on screen was marked seen');
  assert.ok(seen.size < 6 && !seen.has(ids[0]), `cards never on screen were marked seen: ${[...seen]}`);
  await last.scrollIntoViewIfNeeded();
  await pause(1500);
  assert.ok(seenFor(page).has(ids[0]), 'the card scrolled into view was not marked seen');

  // The page opened again on this phone: nothing it showed before rings.
  await page.reload();
  await page.locator('#connection[data-state="online"]').waitFor({ timeout: WAIT_MS });
  await cards.nth(5).waitFor({ state: 'attached', timeout: WAIT_MS });
  await pause(1500);
  assert.equal(await page.evaluate(() => window.vibrations), 0, 'alerts shown before rang again');
  // A new alert still rings.
  await report(spot(6));
  await cards.nth(6).waitFor({ state: 'attached', timeout: WAIT_MS });
  await page.waitForFunction(() => window.vibrations === 1, null, { timeout: WAIT_MS });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the card: what the caller said, directions, the text in the page language, an UPDATE with its words, and I\'m out safe after STAND DOWN', async () => {
  const where = spot(7);
  const id = await report(where, '3 unmarked vans at the car wash');
  // The observer's roster language is Spanish; the page is read in English.
  const page = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone' });
  const card = page.locator(`.alert-card[data-incident="${id}"]`);
  await card.waitFor({ timeout: WAIT_MS });
  await card.locator('.caller-said', { hasText: '3 unmarked vans at the car wash' }).waitFor({ timeout: WAIT_MS });
  assert.match(await card.locator('.alert-text').textContent(), /^UNVERIFIED: Raid/);
  const href = await card.locator('a.directions').getAttribute('href');
  assert.equal(new URL(href).searchParams.get('destination'), `${where.lat},${where.lon}`);
  assert.equal(await card.locator('a.directions').getAttribute('rel'), 'noopener noreferrer');
  await page.locator('#language').selectOption('es');
  await card.locator('.alert-text', { hasText: /^SIN VERIFICAR: Redada/ }).waitFor({ timeout: WAIT_MS });
  await page.locator('#language').selectOption('en');

  await call('POST', `/v1/incidents/${id}/updates`, DISPATCHER, { text: 'Second van arrived on Soto' });
  await card.and(page.locator('[data-type="UPDATE"]')).waitFor({ timeout: WAIT_MS });
  await card.locator('.note', { hasText: 'Second van arrived on Soto' }).waitFor({ timeout: WAIT_MS });
  assert.doesNotMatch(await card.locator('.alert-text').textContent(), /open the incident/i);
  assert.ok(await card.locator('.caller-said').isVisible(), 'the caller\'s words left the card after the update');
  await page.screenshot({ path: `${ARTIFACTS}/observer-update-card.png`, fullPage: true });

  await card.locator('button[data-ack="ON_SCENE"]').click();
  await card.locator('button[data-ack="ON_SCENE"][aria-pressed="true"]').waitFor({ timeout: WAIT_MS });
  await call('POST', `/v1/incidents/${id}/confirm`, DISPATCHER, { text: '' });
  await call('POST', `/v1/incidents/${id}/resolve`, DISPATCHER, { text: '' });
  await card.and(page.locator('[data-type="STAND_DOWN"]')).waitFor({ timeout: WAIT_MS });
  await card.locator('button[data-ack="OUT_SAFE"]').click();
  await card.locator('.answered', { hasText: 'I\'m out, safe' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await card.locator('button[data-ack="OUT_SAFE"]').count(), 0);
  const incident = await call('GET', `/v1/incidents/${id}`, DISPATCHER);
  assert.ok(incident.acks.some((a) => a.state === 'OUT_SAFE'), JSON.stringify(incident.acks));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an off-shift observer is told so, and "I\'m available for 2 h" puts them on call', async () => {
  const page = await open(browser, NODE, '/observer.html', OFF_SHIFT, { size: 'phone' });
  await page.locator('#standing[data-state="off-shift"]').waitFor({ timeout: WAIT_MS });
  assert.match(await page.locator('#standing-state').textContent(), /Off shift/);
  await page.locator('#empty[data-i18n="observer.emptyOffShift"]').waitFor({ timeout: WAIT_MS });
  await page.screenshot({ path: `${ARTIFACTS}/observer-off-shift.png` });
  await page.locator('#available-2h').click();
  await page.locator('#standing[data-state="available"]').waitFor({ timeout: WAIT_MS });
  assert.match(await page.locator('#standing-state').textContent(), /^Available until/);
  await page.locator('#empty[data-i18n="observer.empty"]').waitFor({ timeout: WAIT_MS });
  // Available: a report in their neighborhood reaches them.
  const id = await report(spot(8));
  await page.locator(`.alert-card[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });
  await page.locator('#available-stop').click();
  await page.locator('#standing[data-state="off-shift"]').waitFor({ timeout: WAIT_MS });

  const onCall = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone' });
  await onCall.locator('#standing[data-state="on-call"]').waitFor({ timeout: WAIT_MS });
  assert.ok(await onCall.locator('#available-2h').isHidden());
  assert.deepEqual([...page.problems, ...onCall.problems], []);
  await page.context().close();
  await onCall.context().close();
});

test('a reconnect whose history did not reach back leaves no notice once every card was read again', async () => {
  const id = await report(spot(9));
  const page = await openPage(browser, NODE, '/observer.html', { size: 'phone' });
  // The server's welcome after the reconnect says recovered false, as it did on the night (the
  // first alert of a neighborhood arriving while offline).
  let welcomes = 0;
  await page.routeWebSocket(/\/v1\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      const parsed = JSON.parse(message);
      if (parsed.welcome && ++welcomes >= 3) parsed.welcome.recovered = false;
      ws.send(JSON.stringify(parsed));
    });
  });
  await signIn(page, OBSERVER);
  await page.locator(`.alert-card[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });
  await page.context().setOffline(true);
  await page.locator('#connection[data-state="offline"]').waitFor({ timeout: WAIT_MS });
  await page.context().setOffline(false);
  await page.locator('#connection[data-state="online"]').waitFor({ timeout: WAIT_MS });
  await pause(2000);
  assert.ok(welcomes >= 3, `only ${welcomes} welcomes`);
  assert.ok(await page.locator('#recovery').isHidden(), 'the "could not be recovered" notice stayed though every card was read again');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
