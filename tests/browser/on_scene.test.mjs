// The people on scene in the observer page on a phone, in English and Spanish (docs/on-scene.md):
// once on scene, "Are you OK?" shows on the incident's card and "I'm OK" answers it; the plain
// "More" at the card's foot, held 2 seconds, calls the dispatchers and attorneys for help with
// the phone's position while nothing on the screen changes. Run by browser_test.cpp against a
// node whose check-ins come every 6 seconds.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { WAIT_MS, apiOk, env, launch, open, untranslated } from './pages.mjs';

const NODE = env('PUENTE_NODE_A');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const OBSERVER_ID = env('PUENTE_OBSERVER_ID');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const WEB = new URL('../../server/web/', import.meta.url);

// Two places in Boyle Heights far enough apart to be two incidents; the phone is near each.
const SPOTS = { en: { lat: 34.025, lon: -118.22 }, es: { lat: 34.041, lon: -118.212 } };

let browser;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const api = (method, path, token, body) => apiOk(NODE, method, path, token, body);

async function eventually(check) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > until) throw new Error('not within the wait');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The card's text without a check-in question, which may come at any moment.
const cardText = (card) => card.evaluate((node) => {
  const copy = node.cloneNode(true);
  copy.querySelector('.check-in')?.remove();
  return copy.innerText;
});

for (const language of ['en', 'es']) {
  test(`on a phone in ${language}: the check-in prompt, "I'm OK", and the silent call for help`, async () => {
    const strings = JSON.parse(await readFile(new URL(`i18n/${language}.json`, WEB), 'utf8'));
    const spot = SPOTS[language];
    const page = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone', language, geolocation: { latitude: spot.lat, longitude: spot.lon } });
    try {
      const receipt = await api('POST', '/v1/reports', OPERATOR, { kind: 'RAID', location: { lat: spot.lat, lon: spot.lon }, description: 'on-scene browser test' });
      const id = receipt.incident.id;
      const card = page.locator(`.alert-card[data-incident="${id}"]`);
      await card.waitFor({ timeout: WAIT_MS });
      await card.locator('[data-ack="ON_SCENE"]').click();

      // The discreet control: a plain word, held 2 seconds; the screen stays as it was.
      const more = card.locator('[data-help]');
      await more.waitFor({ timeout: WAIT_MS });
      assert.equal((await more.textContent()).trim(), strings['observer.more']);
      const before = await cardText(card);
      await more.hover();
      await page.mouse.down();
      await page.waitForTimeout(2300);
      await page.mouse.up();
      const help = await eventually(async () => {
        const incident = await api('GET', `/v1/incidents/${id}`, DISPATCHER);
        return (incident.alerts || []).find((a) => a.type === 'HELP_CALL' && a.aboutResponderId === OBSERVER_ID);
      });
      assert.ok(Math.abs(help.location.lat - spot.lat) < 1e-6, `help call at ${JSON.stringify(help.location)}`);
      assert.equal(await cardText(card), before);
      assert.equal(await page.locator(`text=${strings['alertType.HELP_CALL']}`).count(), 0);

      // The check-in: asked on the card, answered "I'm OK".
      const ask = card.locator('.check-in');
      await ask.waitFor({ timeout: WAIT_MS });
      assert.equal((await ask.locator('.check-in-ask').textContent()).trim(), strings['observer.checkInAsk']);
      assert.deepEqual(await untranslated(page, strings), []);
      await page.screenshot({ path: `${ARTIFACTS}/observer-check-in-${language}.png`, fullPage: true });
      await ask.locator('[data-ack="ALL_OK"]').click();
      await ask.waitFor({ state: 'detached', timeout: WAIT_MS });
      await eventually(async () => {
        const incident = await api('GET', `/v1/incidents/${id}`, DISPATCHER);
        return (incident.acks || []).some((a) => a.responderId === OBSERVER_ID && a.state === 'ALL_OK');
      });
      assert.deepEqual(page.problems, []);
      await api('POST', `/v1/incidents/${id}/resolve`, DISPATCHER, { text: 'over' });
    } catch (e) {
      await page.screenshot({ path: `${ARTIFACTS}/failure-on-scene-${language}.png`, fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await page.context().close();
    }
  });
}
