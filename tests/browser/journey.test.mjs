// The pages people use, in a real Chromium against real puented nodes and Redis (started by
// browser_test.cpp, which passes their addresses and tokens in the environment):
//   the hotline logs a call on node A (and a second call joins it) -> the observer's phone on node B shows the alert -> it
//   answers ON_SCENE -> the board on node A shows the ack in the timeline; the board confirms ->
//   the observer sees DISPATCH; the observer goes offline, the board sends an update, the
//   observer comes back and shows it. Then every page at desktop and phone size in English and
//   Spanish: screenshots for a reviewer, and no untranslated text.

import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { SIZES, WAIT_MS, env, launch, open, openPage, untranslated } from './pages.mjs';

const A = env('PUENTE_NODE_A');
const B = env('PUENTE_NODE_B');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const OBSERVER_ID = env('PUENTE_OBSERVER_ID');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const WEB = new URL('../../server/web/', import.meta.url);

let browser;
const pages = [];
// The issue asks for the ack on the board "within a second"; measured and reported, with a
// generous deadline so a loaded machine does not fail the run.
const ACK_SHOWN_WITHIN_MS = 1000;

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

function track(page) {
  pages.push(page);
  return page;
}

// On a failure, what each page showed: failure-<n>.png beside the screenshots.
async function showingOnFailure(steps) {
  try {
    await steps();
  } catch (e) {
    for (const [n, page] of pages.entries())
      await page.screenshot({ path: `${ARTIFACTS}/failure-${n}.png`, fullPage: true }).catch(() => {});
    throw e;
  }
}

test('a call logged on one node reaches an observer on another, and the board sees every step', () => showingOnFailure(async () => {
  const observer = track(await open(browser, B, '/observer.html', OBSERVER, { size: 'phone', geolocation: { latitude: 34.0335, longitude: -118.211 } }));
  const board = track(await open(browser, A, '/board.html', DISPATCHER));
  const intake = track(await open(browser, A, '/intake.html', OPERATOR));

  // The hotline: a neighborhood by name, the kind, the words, the caller's language.
  await intake.locator('#neighborhood-name').fill('Boyle Heights');
  await intake.locator('#neighborhood-name').press('Tab');
  await intake.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  const spot = { lat: Number(await intake.locator('#lat').inputValue()), lon: Number(await intake.locator('#lon').inputValue()) };
  await intake.locator('#place').fill('car wash on César Chávez');
  await intake.locator('label.choice:has(input[value="RAID"])').click();
  await intake.locator('#description').fill('3 unmarked vans');
  await intake.locator('#submit').click();
  const result = intake.locator('#result[data-outcome="new"]');
  await result.waitFor({ timeout: WAIT_MS });
  const id = await result.getAttribute('data-incident');
  assert.match(id, /\S+/);

  // A second call about the same raid: the spot tapped on the map, then typed exactly; it joins
  // the open incident instead of opening another.
  await intake.locator('#next-call').click();
  await intake.locator('#map path[data-slug="boyle-heights"]').click();
  await intake.locator('#located[data-slug]:not([data-slug=""])').waitFor({ timeout: WAIT_MS });
  // About 25 m from the first call's spot.
  await intake.locator('#lat').fill(String(spot.lat + 0.0002));
  await intake.locator('#lon').fill(String(spot.lon + 0.0002));
  await intake.locator('#lon').press('Tab');
  await intake.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  await intake.locator('label.choice:has(input[value="RAID"])').click();
  await intake.locator('#submit').click();
  await intake.locator(`#result[data-outcome="joined"][data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });

  // The observer's phone, on the other node, shows the VERIFY alert.
  const card = observer.locator(`.alert-card[data-incident="${id}"]`);
  await card.and(observer.locator('[data-type="VERIFY"]')).waitFor({ timeout: WAIT_MS });

  // The board has it; the dispatcher opens its timeline before the observer answers.
  await board.locator(`#incidents [data-incident="${id}"]`).click();
  await board.locator(`#detail[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });

  const answered = Date.now();
  await card.locator('button[data-ack="ON_SCENE"]').click();
  await board
    .locator(`#timeline [data-kind="ack"][data-state="ON_SCENE"][data-responder="${OBSERVER_ID}"]`)
    .waitFor({ timeout: WAIT_MS });
  const shownAfter = Date.now() - answered;
  console.log(`ack ON_SCENE shown on the board ${shownAfter} ms after the tap (aim: ${ACK_SHOWN_WITHIN_MS} ms)`);
  await card.locator('button[data-ack="ON_SCENE"][aria-pressed="true"]').waitFor({ timeout: WAIT_MS });

  // The board confirms; the observer gets DISPATCH with the dispatcher's words.
  await board.locator('#action-text').fill('3 vans at the car wash, come now');
  await board.locator('#detail [data-action="confirm"]').click();
  await card.and(observer.locator('[data-type="DISPATCH"]')).waitFor({ timeout: WAIT_MS });
  await card.locator('.note', { hasText: '3 vans at the car wash, come now' }).waitFor({ timeout: WAIT_MS });
  await board.locator(`#detail[data-status="CONFIRMED"]`).waitFor({ timeout: WAIT_MS });

  // Presence: the board lists the observer as on call and connected.
  await board
    .locator(`#on-call [data-responder="${OBSERVER_ID}"][data-connected="true"]`)
    .first()
    .waitFor({ timeout: WAIT_MS + 15000 });

  // The phone loses its network; an update goes out meanwhile; it comes back and shows it.
  await observer.context().setOffline(true);
  await observer.locator('#connection[data-state="offline"]').waitFor({ timeout: WAIT_MS });
  await board.locator('#action-text').fill('Second van arrived on Soto');
  await board.locator('#detail [data-action="updates"]').click();
  await board.locator('#action-result.ok').waitFor({ timeout: WAIT_MS });
  await observer.context().setOffline(false);
  await observer.locator('#connection[data-state="online"]').waitFor({ timeout: WAIT_MS });
  await card.and(observer.locator('[data-type="UPDATE"]')).waitFor({ timeout: WAIT_MS });
  await card.locator('.note', { hasText: 'Second van arrived on Soto' }).waitFor({ timeout: WAIT_MS });

  // On scene, the observer sends an update with the phone's location (only on that press).
  await card.locator('button[data-action="updates"]').click();
  await card.locator('.message[data-i18n="observer.done.updates"]').waitFor({ timeout: WAIT_MS });

  // Another phone opening the page now shows the call, from the alerts of the last 12 hours: its
  // hello asks from a time (sinceTimeMs) that the server turns into the first alert at or after it.
  const later = track(await open(browser, A, '/observer.html', OBSERVER, { size: 'phone' }));
  await later.locator(`.alert-card[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });
  // What the hellos asked for (their subscriptions only: a failure's message shows no token).
  const asked = later.sent.filter((m) => m.hello?.subscriptions?.length).map((m) => m.hello.subscriptions);
  assert.ok(asked.some((subs) => subs.every((s) => s.sinceTimeMs > 0 && !s.sinceOffset)), JSON.stringify(asked));

  // Measured and reported, not asserted: how often the board read the incident whole. Board
  // events keep it current; an ack event is applied as it comes (tests/browser/board_state.test.mjs).
  const reads = board.requests.filter((r) => r.method() === 'GET' && new URL(r.url()).pathname === `/v1/incidents/${id}`);
  console.log(`the board read incident ${id} ${reads.length} times over the journey`);

  for (const page of pages) assert.deepEqual(page.problems, [], `problems on ${page.url()}`);
}));

test('every page at desktop and phone size, in English and Spanish: screenshots, nothing untranslated', async () => {
  const es = JSON.parse(await readFile(new URL('i18n/es.json', WEB), 'utf8'));
  const en = JSON.parse(await readFile(new URL('i18n/en.json', WEB), 'utf8'));
  assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort(), 'en.json and es.json hold the same keys');

  const tokens = { 'index.html': null, 'intake.html': OPERATOR, 'board.html': DISPATCHER, 'observer.html': OBSERVER };
  for (const [file, token] of Object.entries(tokens))
    for (const size of Object.keys(SIZES))
      for (const language of ['en', 'es']) {
        const origin = file === 'observer.html' ? B : A;
        const page = token
          ? await open(browser, origin, `/${file}`, token, { size, language })
          : await openPage(browser, origin, `/${file}`, { size, language });
        await page.locator('html.i18n-ready').waitFor({ timeout: WAIT_MS });
        if (file === 'board.html') {
          await page.locator('#incidents [data-incident]').first().click();
          await page.locator('#timeline li').first().waitFor({ timeout: WAIT_MS });
        }
        if (file === 'observer.html') await page.locator('.alert-card').first().waitFor({ timeout: WAIT_MS });
        if (file !== 'index.html') await page.locator('.map .hood, .alert-card').first().waitFor({ timeout: WAIT_MS });
        await page.screenshot({ path: `${ARTIFACTS}/${file.replace('.html', '')}-${size}-${language}.png`, fullPage: size === 'phone' });
        if (language === 'es') assert.deepEqual(await untranslated(page, es), [], `${file} (${size}) in Spanish`);
        assert.deepEqual(page.problems, [], `problems on ${file} (${size}, ${language})`);
        await page.context().close();
      }
});

test('pages go out with a strict Content-Security-Policy and no inline code; bad paths are JSON 404s', async () => {
  for (const file of ['index.html', 'intake.html', 'board.html', 'observer.html']) {
    const response = await fetch(`${A}/${file}`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${file} has an inline script`);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${file} has inline style or handlers`);
  }
  for (const path of ['/nothing.html', '/%2e%2e/README.md', '/js/%2e%2e/%2e%2e/README.md', '/.hidden']) {
    // fetch may resolve "%2e%2e" itself (404); sent as it is, the node refuses it (400 bad_target).
    const response = await fetch(`${A}${path}`);
    const { code } = (await response.json()).error;
    assert.ok(response.status === 404 ? code === 'not_found' : response.status === 400 && code === 'bad_target',
              `${path}: ${response.status} ${code}`);
  }
});

test('a refused token brings the sign-in form back, saying why; the token is never in a URL', async () => {
  for (const [token, why] of [
    ['not-a-token', 'signIn.rejected'],
    [OBSERVER, 'signIn.forbidden'], // an observer's token on the dispatchers' board
  ]) {
    const page = await openPage(browser, A, '/board.html');
    await page.locator('#token').fill(token);
    await page.locator('#sign-in button[type="submit"]').click();
    await page.locator(`#sign-in-error[data-i18n="${why}"]`).waitFor({ timeout: WAIT_MS });
    // The header says the token was refused, not that the network is gone (issue 20).
    await page.locator('#connection[data-state="refused"]').waitFor({ timeout: WAIT_MS });
    assert.doesNotMatch(await page.locator('#connection').textContent(), /Offline/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('puente.token')), null);
    assert.ok(!page.url().includes(token));
    await page.context().close();
  }
});
