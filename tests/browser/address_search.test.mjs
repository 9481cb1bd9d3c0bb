// Issue 20, address search on the intake page, in Chromium (run by browser_test.cpp against a
// node whose [geography] geocoder_url is the tests' own geocoder, geocoder_server.mjs, and a node
// without one): the operator types the crossing the caller names, picks the place found inside
// the network's area, and the report goes there with the place's words; Enter searches and does
// not send the form; the address travels in a request body only; a geocoder that fails, nothing
// found, and a network without a geocoder are each said plainly, in English and Spanish.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { WAIT_MS, env, launch, open } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const NONE_NODE = env('PUENTE_NONE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const NONE_OPERATOR = env('PUENTE_NONE_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const ARTIFACTS = env('PUENTE_ARTIFACTS');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function searchFor(page, text) {
  await page.locator('#address').fill(text);
  await page.locator('#address').press('Enter');
}

const state = (page) => page.locator('#address-status').getAttribute('data-state');

async function settled(page) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const now = await state(page);
    if (now && now !== 'address.searching') return now;
    if (Date.now() > until) throw new Error(`the search did not end: ${now}`);
    await page.waitForTimeout(100);
  }
}

test('the operator finds "César Chávez & Soto", picks it, and the report goes there', async () => {
  const page = await open(browser, NODE, '/intake.html', OPERATOR);
  await page.locator('.map .hood').first().waitFor({ timeout: WAIT_MS });
  await searchFor(page, 'César Chávez & Soto');
  const places = page.locator('#address-results button.address-place');
  await places.first().waitFor({ timeout: WAIT_MS });
  // Bounded by the network's area: the San Francisco crossing of the same names is not offered.
  assert.equal(await places.count(), 1);
  assert.equal(await state(page), 'address.found');
  assert.match(await page.locator('#address-status').innerText(), /^1 place found in our area/);
  assert.match(await places.first().innerText(), /César E\. Chávez Avenue & North Soto Street, Boyle Heights · Boyle Heights/);
  // Enter searched: no report went, and the address was in no URL the page asked for.
  assert.ok(!page.requests.some((r) => r.url().endsWith('/v1/reports')), 'Enter in the address sent the report');
  assert.ok(!page.requests.some((r) => /Soto|Ch%C3%A1vez|Chávez/.test(r.url())), 'the address went in a URL');
  const asked = page.requests.find((r) => r.url().endsWith('/v1/geocode'));
  assert.equal(asked.method(), 'POST');
  assert.deepEqual(JSON.parse(asked.postData()), { text: 'César Chávez & Soto' });
  await page.screenshot({ path: `${ARTIFACTS}/intake-address-found.png`, fullPage: true });

  await places.first().click();
  await page.locator('#located.ok[data-slug="boyle-heights"]').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#lat').inputValue(), '34.0476');
  assert.equal(await page.locator('#lon').inputValue(), '-118.2087');
  assert.equal(await page.locator('#place').inputValue(), 'César E. Chávez Avenue & North Soto Street, Boyle Heights');
  assert.equal(await places.count(), 0, 'the places found stayed after the pick');
  assert.equal(await page.locator('.map .pin').count(), 1);

  await page.locator('label.choice:has(input[value="RAID"])').click();
  await page.locator('#submit').click();
  await page.locator('#result:not([hidden])').waitFor({ timeout: WAIT_MS });
  const id = await page.locator('#result').getAttribute('data-incident');
  const response = await fetch(`${NODE}/v1/incidents/${id}`, { headers: { Authorization: `Bearer ${DISPATCHER}` } });
  const incident = await response.json();
  assert.equal(incident.neighborhood, 'boyle-heights');
  assert.deepEqual([incident.location.lat, incident.location.lon], [34.0476, -118.2087]);
  assert.equal(incident.location.description, 'César E. Chávez Avenue & North Soto Street, Boyle Heights');

  // The next call starts with an empty search.
  await page.locator('#next-call').click();
  assert.equal(await page.locator('#address').inputValue(), '');
  assert.equal(await page.locator('#address-status').innerText(), '');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('nothing found, a geocoder that fails, and an empty search are said plainly, in Spanish too', async () => {
  const page = await open(browser, NODE, '/intake.html', OPERATOR, { language: 'es' });
  await page.locator('.map .hood').first().waitFor({ timeout: WAIT_MS });
  await searchFor(page, 'Calle Inexistente');
  assert.equal(await settled(page), 'address.none');
  assert.match(await page.locator('#address-status').innerText(), /No hay nada llamado "Calle Inexistente" en nuestra zona/);

  await searchFor(page, 'bad answer');
  assert.equal(await settled(page), 'address.failed');
  assert.match(await page.locator('#address-status').innerText(), /no funciona ahora .*geocoder_bad_answer/);

  await searchFor(page, 'hang'); // past the node's geocoder_timeout_ms
  assert.equal(await settled(page), 'address.failed');
  assert.match(await page.locator('#address-status').innerText(), /geocoder_unavailable/);

  await page.locator('#address').fill('  ');
  await page.locator('#address-find').click();
  assert.equal(await state(page), 'address.empty');
  assert.match(await page.locator('#address-status').innerText(), /Primero escribe una dirección/);
  // The map and the neighborhood's name still work after all that.
  assert.equal(await page.locator('#address-results button').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.screenshot({ path: `${ARTIFACTS}/intake-address-failed-es.png`, fullPage: true });
  await page.context().close();
});

test('without a geocoder the page says how to set one up, in English and Spanish', async () => {
  for (const [language, words] of [['en', /Address search is not set up on this network\. An admin turns it on by setting \[geography\] geocoder_url/], ['es', /no está configurada en esta red\. Un administrador la activa .*\[geography\] geocoder_url/]]) {
    const page = await open(browser, NONE_NODE, '/intake.html', NONE_OPERATOR, { language });
    await page.locator('.map .hood').first().waitFor({ timeout: WAIT_MS });
    await searchFor(page, 'César Chávez & Soto');
    assert.equal(await settled(page), 'address.off');
    assert.match(await page.locator('#address-status').innerText(), words);
    assert.deepEqual(page.problems, []);
    if (language === 'en') await page.screenshot({ path: `${ARTIFACTS}/intake-address-off.png`, fullPage: true });
    await page.context().close();
  }
});
