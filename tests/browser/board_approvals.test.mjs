// Planted reports on the board (issue 19 item 4), in Chromium against a node whose neighborhoods
// each take one new unverified incident an hour ([policy] unverified_cap = 1): the second report
// in Boyle Heights is held. The board shows it in "Held for approval" with who reported it and
// how (operator, by the API), marks it in the list, says in its detail that it is held and where
// its report came from, and its Approve button sends the alert: the panel empties and the
// incident has its VERIFY alert.
// Run by browser_test.cpp (Browser.TheBoardShowsHeldReportsTheirSourcesAndApprovesThem).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { WAIT_MS, apiOk, env, launch, open } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const ARTIFACTS = env('PUENTE_ARTIFACTS');

// Boyle Heights, over 800 m apart: each report opens its own incident.
const FIRST = { lat: 34.025, lon: -118.22 };
const SECOND = { lat: 34.041, lon: -118.212 };

let browser;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const api = (method, path, token, body) => apiOk(NODE, method, path, token, body);

test('the board shows a held report with its source and approving it sends the alert', async () => {
  const board = await open(browser, NODE, '/board.html', DISPATCHER);
  try {
    await board.locator('#incidents').waitFor({ state: 'attached', timeout: WAIT_MS });
    await api('POST', '/v1/reports', OPERATOR, { kind: 'RAID', location: FIRST });
    const held = (await api('POST', '/v1/reports', OPERATOR, { kind: 'RAID', location: SECOND })).incident.id;

    // The held panel lists it, with its reporter and source, and the list marks it.
    const item = board.locator(`#held [data-incident="${held}"]`);
    await item.waitFor({ timeout: WAIT_MS });
    assert.ok(await board.locator('#held-panel').isVisible());
    const source = item.locator('[data-source="REPORT_SOURCE_API"]');
    await source.waitFor({ timeout: WAIT_MS });
    assert.match(await source.textContent(), /^op: operator · intake page or API$/);
    await board.locator(`#incidents [data-incident="${held}"] .held-mark`).waitFor({ timeout: WAIT_MS });
    assert.equal(await board.locator('#held [data-incident]').count(), 1, 'only the one past the cap is held');

    // Opened, its detail says it is held and where its report came from.
    await item.getByRole('button', { name: 'Open' }).click();
    await board.locator('#detail-held').waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(await board.locator('#detail-sources').textContent(), /op: operator · intake page or API/);
    await board.screenshot({ path: `${ARTIFACTS}/board-held.png`, fullPage: true });

    // Approve: the alert goes out, the panel empties, the detail no longer says held.
    await item.locator('[data-approve]').click();
    await board.locator('#held-panel').waitFor({ state: 'hidden', timeout: WAIT_MS });
    await board.locator('#detail-held').waitFor({ state: 'hidden', timeout: WAIT_MS });
    assert.match(await board.locator('#action-result').textContent(), /Approved/);
    const after = await api('GET', `/v1/incidents/${held}`, DISPATCHER);
    assert.equal(after.heldAt, undefined);
    assert.equal(after.approvedBy, 'disp');
    assert.deepEqual((after.alerts || []).map((a) => a.type), ['VERIFY']);
    await board.screenshot({ path: `${ARTIFACTS}/board-approved.png`, fullPage: true });
  } finally {
    await board.close();
  }
});
