// Attaching media from the observer page on a phone, in English and Spanish (docs/evidence.md):
// a photo picked on the incident's card goes up in chunks, picks up after the connection drops
// on its first chunk, and arrives whole (the dispatcher sees it with the same SHA-256). Run by
// browser_test.cpp.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { WAIT_MS, apiOk, env, launch, open, untranslated } from './pages.mjs';

const NODE = env('PUENTE_NODE_A');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const WEB = new URL('../../server/web/', import.meta.url);

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

for (const language of ['en', 'es']) {
  test(`on a phone in ${language}: a photo attached from the card arrives whole after a cut`, async () => {
    const strings = JSON.parse(await readFile(new URL(`i18n/${language}.json`, WEB), 'utf8'));
    const spot = SPOTS[language];
    const page = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone', language });
    try {
      const receipt = await api('POST', '/v1/reports', OPERATOR, { kind: 'RAID', location: spot, description: 'attach browser test' });
      const id = receipt.incident.id;
      const card = page.locator(`.alert-card[data-incident="${id}"]`);
      await card.waitFor({ timeout: WAIT_MS });

      // 2.5 MB: three chunks. The first PUT is cut off; the page asks how far it got and goes on.
      const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2_500_000)]);
      let cut = false;
      await page.route('**/v1/uploads/**', (route) => {
        if (!cut && route.request().method() === 'PUT') {
          cut = true;
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      const attach = card.locator('.attach');
      await attach.locator('summary').click();
      assert.equal((await attach.locator('summary').textContent()).trim(), strings['media.attach']);
      assert.deepEqual(await untranslated(page, strings), []);
      await attach.locator('input[data-kind="PHOTO"]').setInputFiles({ name: 'raid.jpg', mimeType: 'image/jpeg', buffer: photo });
      const status = attach.locator('.attach-status');
      await page.waitForFunction(([node, text]) => document.querySelector(node)?.textContent === text,
        [`.attach[data-incident="${id}"] .attach-status`, strings['media.sent']], { timeout: 60000 });
      assert.equal((await status.textContent()).trim(), strings['media.sent']);
      assert.ok(cut, 'the first chunk was cut off');
      await page.screenshot({ path: `${ARTIFACTS}/observer-attach-${language}.png`, fullPage: true });

      const { media } = await api('GET', `/v1/incidents/${id}/media`, DISPATCHER);
      assert.equal(media.length, 1);
      assert.equal(media[0].kind, 'PHOTO');
      assert.equal(media[0].sha256, createHash('sha256').update(photo).digest('hex'));
      assert.deepEqual(page.problems.filter((p) => !/connectionreset|ERR_CONNECTION_RESET|Failed to load resource/i.test(p)), []);
      await api('POST', `/v1/incidents/${id}/resolve`, DISPATCHER, { text: 'over' });
    } catch (e) {
      await page.screenshot({ path: `${ARTIFACTS}/failure-attach-${language}.png`, fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await page.context().close();
    }
  });
}
