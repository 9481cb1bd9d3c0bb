// Issue 20, the hotline's intake page as an operator uses it on a bad night (run by
// browser_test.cpp against one node whose network keeps a caller key): after sending, how many
// people were alerted and a loud warning when nobody was or nobody has the page open; Enter in
// the longitude field racing the lookup; pasted pairs and decimal commas; a misspelled
// neighborhood; stale errors; the server's refusals in the page's language; visible length
// limits; the caller's number making repeat calls one reporter.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { WAIT_MS, env, launch, open } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const WEB = new URL('../../server/web/', import.meta.url);

// Places 0.008 degrees (about 900 m) apart inside Boyle Heights (tests/harness:
// boyle_heights_spot): reports there never corroborate one another. Westwood: nobody in the
// test roster covers it.
const spot = (i) => ({ lat: 34.025 + (i % 3) * 0.008, lon: -118.22 + (Math.floor(i / 3) % 4) * 0.008 });
const WESTWOOD = { lat: 34.0689, lon: -118.4452 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function intake(language = 'en') {
  return open(browser, NODE, '/intake.html', OPERATOR, { language });
}

async function typeSpot(page, where) {
  await page.locator('#lat').fill(String(where.lat));
  await page.locator('#lon').fill(String(where.lon));
  await page.locator('#lon').press('Tab');
}

async function send(page, where, { phone } = {}) {
  await typeSpot(page, where);
  await page.locator('#located.ok').waitFor({ timeout: WAIT_MS });
  await page.locator('label.choice:has(input[value="RAID"])').click();
  if (phone) await page.locator('#caller-phone').fill(phone);
  await page.locator('#submit').click();
  await page.locator('#result:not([hidden])').waitFor({ timeout: WAIT_MS });
  return page.locator('#result');
}

async function incident(id) {
  const response = await fetch(`${NODE}/v1/incidents/${id}`, { headers: { Authorization: `Bearer ${DISPATCHER}` } });
  assert.equal(response.status, 200);
  return response.json();
}

test('after sending, the operator sees how many people were alerted, and a loud warning when nobody was or nobody is connected', async () => {
  const page = await intake();
  // Westwood: nobody on call there.
  let result = await send(page, WESTWOOD);
  assert.equal(await result.getAttribute('data-alerted'), '0');
  await page.locator('#result-warning[data-warning="intake.warnNobody"]:not([hidden])').waitFor({ timeout: WAIT_MS });
  assert.match(await page.locator('#result-warning').textContent(), /NOBODY WAS ALERTED.*Call the dispatcher/);
  assert.doesNotMatch(await page.locator('#result-title').textContent(), /alerted/, 'the title claims someone was alerted');
  await page.screenshot({ path: `${ARTIFACTS}/intake-nobody-alerted.png` });

  // Boyle Heights: its observer is alerted but has no page open.
  await page.locator('#next-call').click();
  result = await send(page, spot(0));
  assert.equal(await result.getAttribute('data-alerted'), '1');
  assert.equal(await result.getAttribute('data-connected'), '0');
  assert.equal(await page.locator('#result-reach').textContent(), '1 person alerted · 0 with the alerts page open now');
  await page.locator('#result-warning[data-warning="intake.warnNoneConnected"]:not([hidden])').waitFor({ timeout: WAIT_MS });

  // The observer opens the page: the next call reached someone connected, and no warning shows.
  const observer = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone' });
  await page.locator('#next-call').click();
  for (let i = 1; ; i++) {
    result = await send(page, spot(i));
    if ((await result.getAttribute('data-connected')) === '1') break;
    // Presence is vouched for on the socket's hello; the first call may beat it.
    assert.ok(i < 4, 'the observer never counted as connected');
    await page.locator('#next-call').click();
  }
  assert.ok(await page.locator('#result-warning').isHidden());
  assert.deepEqual(page.problems, []);
  await observer.context().close();
  await page.context().close();
});

test('Enter in the longitude field right after typing valid coordinates sends the report', async () => {
  const page = await intake();
  await page.locator('label.choice:has(input[value="RAID"])').click();
  await page.locator('#lat').fill(String(spot(5).lat));
  await page.locator('#lon').fill(String(spot(5).lon));
  await page.locator('#lon').press('Enter');
  await page.locator('#result[data-outcome="new"]').waitFor({ timeout: WAIT_MS });
  assert.ok(await page.locator('#form-error').isHidden(), await page.locator('#form-error').textContent());
  await page.context().close();
});

test('a pasted pair fills both fields, a decimal comma is a decimal point, and nonsense says so', async () => {
  const page = await intake();
  await page.locator('#lat').fill('34.0335, -118.2110');
  await page.locator('#lat').press('Tab');
  await page.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#lat').inputValue(), '34.0335');
  assert.equal(await page.locator('#lon').inputValue(), '-118.211');

  // Pasted (the clipboard's way in), into the longitude field, longitude first as GeoJSON has it.
  await page.locator('#lat').fill('');
  await page.locator('#lon').focus();
  await page.locator('#lon').fill('');
  await page.keyboard.insertText('-118.2428,34.0537');
  await page.evaluate(() => {
    const lon = document.querySelector('#lon');
    lon.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  });
  await page.locator('#located[data-slug="downtown"]').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#lat').inputValue(), '34.0537');

  await page.locator('#lat').fill('34,0335');
  await page.locator('#lon').fill('-118,2110');
  await page.locator('#lon').press('Tab');
  await page.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });

  await page.locator('#lat').fill('near the church');
  await page.locator('#lat').press('Tab');
  await page.locator('#located.error[data-i18n="intake.badCoordinates"]').waitFor({ timeout: WAIT_MS });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a misspelled neighborhood is answered with what it may mean, and a stale error goes once the spot is picked', async () => {
  const page = await intake();
  // Sent with nothing: the form asks for the spot.
  await page.locator('#submit').click();
  await page.locator('#form-error[data-i18n="intake.needSpot"]:not([hidden])').waitFor({ timeout: WAIT_MS });

  await page.locator('#neighborhood-name').fill('Boyle Hts');
  await page.locator('#neighborhood-name').press('Tab');
  await page.locator('#located.error[data-i18n="intake.didYouMean"]').waitFor({ timeout: WAIT_MS });
  await page.locator('#name-suggestions button', { hasText: 'Boyle Heights' }).click();
  await page.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  assert.ok(await page.locator('#form-error').isHidden(), 'the stale "pick the spot" error stayed');

  await page.locator('#neighborhood-name').fill('Nowhereville');
  await page.locator('#neighborhood-name').press('Tab');
  await page.locator('#located.error[data-i18n="intake.noSuchNeighborhood"]').waitFor({ timeout: WAIT_MS });
  // Accents and case aside, a name is the name.
  await page.locator('#neighborhood-name').fill('boyle heights');
  await page.locator('#neighborhood-name').press('Tab');
  await page.locator('#located[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  await page.context().close();
});

test('limits show beside the fields, and the server refusals read in the page language, in plain words', async () => {
  const es = JSON.parse(await readFile(new URL('i18n/es.json', WEB), 'utf8'));
  const page = await intake('es');
  assert.equal(await page.locator('#place-count').textContent(), 'Largo: 0 de 300');
  assert.equal(await page.locator('#description-count').textContent(), 'Largo: 0 de 2000');
  // "é" is two bytes, as the server counts.
  await page.locator('#place').fill('é'.repeat(151));
  assert.equal(await page.locator('#place-count').textContent(), 'Largo: 302 de 300');
  assert.ok(await page.locator('#place-count.over').isVisible());
  await typeSpot(page, spot(6));
  await page.locator('#located.ok').waitFor({ timeout: WAIT_MS });
  await page.locator('label.choice:has(input[value="RAID"])').click();
  const posts = () => page.requests.filter((r) => r.method() === 'POST').length;
  await page.locator('#submit').click();
  await page.locator('#form-error[data-i18n="intake.tooLong"]:not([hidden])').waitFor({ timeout: WAIT_MS });
  assert.equal(posts(), 0, 'a report over the limit went to the server');
  await page.locator('#place').fill('autolavado');
  assert.ok(await page.locator('#form-error').isHidden());

  // The server refuses a number without its area code: said in Spanish, in the page's words.
  await page.locator('#caller-phone').fill('555-0142');
  await page.locator('#submit').click();
  await page.locator('#form-error[data-i18n="serverError.bad_phone"]:not([hidden])').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#form-error').textContent(), es['serverError.bad_phone']);
  assert.deepEqual(page.problems, []);
  await page.screenshot({ path: `${ARTIFACTS}/intake-refused-es.png` });
  await page.context().close();
});

test('the caller field: one caller phoning twice is one reporter, another caller without a number is another', async () => {
  const page = await intake();
  let result = await send(page, spot(7), { phone: '+1 (323) 555-0142' });
  const id = await result.getAttribute('data-incident');
  const sent = page.requests.find((r) => r.method() === 'POST' && r.url().endsWith('/v1/reports'));
  assert.equal(JSON.parse(sent.postData()).callerPhone, '+1 (323) 555-0142');
  await page.locator('#next-call').click();
  assert.equal(await page.locator('#caller-phone').inputValue(), '', 'the last caller\'s number stayed for the next call');
  const near = { lat: spot(7).lat + 0.0002, lon: spot(7).lon };
  result = await send(page, near, { phone: '323-555-0142' });
  assert.equal(await result.getAttribute('data-incident'), id);
  assert.equal((await incident(id)).reporters, 1);
  await page.locator('#next-call').click();
  result = await send(page, near);
  assert.equal(await result.getAttribute('data-incident'), id);
  assert.equal((await incident(id)).reporters, 2);
  assert.equal(await page.locator('#result-detail').textContent(), `Incident ${id} · 3 reports`);
  await page.context().close();
});
