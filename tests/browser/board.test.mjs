// The dispatcher's board on a real night (issue 20), in Chromium against a node whose first
// escalation step comes 4 seconds after confirmation and whose check-ins come every 6 seconds:
// - who each alert reached, person by person (delivered and by which channel, seen, answered,
//   UNREACHABLE), named as the roster names them with their role, with "3 min ago" beside
//   every clock time;
// - what needs the dispatcher (a new incident, one nobody can be reached for, an observer's
//   step, an escalation, a missed check-in) rings a cue, stays marked until opened, and counts
//   in the title; the next escalation's deadline shows;
// - false alarm and resolve ask first; a closed incident reopens, saying why;
// - an update moves an incident by its location field (typed, or picked on the map): the board
//   names the new neighborhood and keeps the caller's words for the place;
// - the incidents closed in the last 72 hours, after a reload, filtered, in Spanish;
// - in a browser that allows sound only after a touch, one click turns the cues on.
// Run by browser_test.cpp (Browser.TheBoardTellsWhoWasReachedAndCallsTheDispatchersAttention).

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { WAIT_MS, apiOk, env, launch, open, untranslated } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const OBSERVER_ID = env('PUENTE_OBSERVER_ID');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const WEB = new URL('../../server/web/', import.meta.url);

// Places in Boyle Heights far enough apart (over 800 m) never to corroborate one another, and
// City Hall downtown.
const SPOTS = { a: { lat: 34.025, lon: -118.22 }, b: { lat: 34.041, lon: -118.212 }, c: { lat: 34.0335, lon: -118.211 } };
const CITY_HALL = { lat: 34.0537, lon: -118.2428 };

let browser;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const api = (method, path, token, body) => apiOk(NODE, method, path, token, body);

async function report(spot, kind, description) {
  const location = { ...spot, ...(description ? { description } : {}) };
  const receipt = await api('POST', '/v1/reports', OPERATOR, { kind, location });
  return receipt.incident.id;
}

async function eventually(check, what) {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > until) throw new Error(`not within the wait: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const cues = (page) => page.evaluate(() => Number(document.documentElement.dataset.cues || 0));
const attentionOf = (page, id) => page.locator(`#incidents [data-incident="${id}"]`).getAttribute('data-attention');

// The board hears of something new: a cue rings, and the incident is marked with `kind`.
async function calledFor(page, id, kind, cuesBefore) {
  await eventually(async () => ((await attentionOf(page, id)) || '').split(' ').includes(kind), `${kind} on ${id}`);
  await eventually(async () => (await cues(page)) > cuesBefore, `a cue for ${kind}`);
}

test('the board says who each alert reached and calls the dispatcher for what needs them', async () => {
  const board = await open(browser, NODE, '/board.html', DISPATCHER);
  let observer = null;
  try {
    await board.locator('#incidents').waitFor({ state: 'attached', timeout: WAIT_MS });
    // The first load is in before anything new happens.
    await board.waitForTimeout(500);
    let before = await cues(board);

    // A report nobody can get: the observer of Boyle Heights has no page open and no phone.
    const id = await report(SPOTS.a, 'RAID');
    await calledFor(board, id, 'new', before);
    await eventually(async () => ((await attentionOf(board, id)) || '').includes('unreachable'), 'nobody reached');
    assert.match(await board.title(), /^\(\d+\) /, 'the unseen count is in the title');
    const unseenBefore = Number(await board.evaluate(() => document.documentElement.dataset.unseen));

    // Opened, it is seen: the mark goes and the count drops.
    await board.locator(`#incidents [data-incident="${id}"]`).click();
    await board.locator(`#detail[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });
    assert.equal(await attentionOf(board, id), '');
    assert.ok(Number(await board.evaluate(() => document.documentElement.dataset.unseen)) < unseenBefore);

    // The VERIFY reached nobody, and the timeline says so by name, not "to 1".
    const verify = board.locator('#timeline [data-kind="alert"][data-type="VERIFY"]');
    await verify.locator(`[data-responder="${OBSERVER_ID}"][data-reach="unreachable"]`).waitFor({ timeout: WAIT_MS });
    assert.match(await verify.innerText(), /Test obs-bh \(legal observer\):\s*UNREACHABLE/);
    assert.match(await board.locator('#timeline [data-kind="report"]').innerText(), /Test op \(operator\)/);
    // Every clock time says how long ago.
    assert.match(await board.locator('#timeline [data-kind="report"] .ago').innerText(), /now|sec|min/);
    assert.match(await board.locator('#detail-times').innerText(), /ago|now/);

    // The observer opens the page; the dispatcher confirms: DISPATCH is delivered to her page,
    // and the volunteer nothing can reach is flagged.
    observer = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone' });
    await observer.locator(`.alert-card[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });
    await board.locator('#detail [data-action="confirm"]').click();
    await board.locator('#detail[data-status="CONFIRMED"]').waitFor({ timeout: WAIT_MS });
    const dispatch = board.locator('#timeline [data-kind="alert"][data-type="DISPATCH"]');
    await eventually(async () => {
      const reach = await dispatch.locator(`[data-responder="${OBSERVER_ID}"]`).getAttribute('data-reach').catch(() => null);
      return ['delivered', 'seen', 'answered'].includes(reach);
    }, 'DISPATCH delivered to the observer');
    assert.match(await dispatch.locator(`[data-responder="${OBSERVER_ID}"]`).getAttribute('data-channels'), /socket/);
    await dispatch.locator('[data-responder="vol-bh"][data-reach="unreachable"]').waitFor({ timeout: WAIT_MS });
    assert.match(await dispatch.locator('.alert-head').innerText(), /sent to \d+, reached [1-9]/);
    assert.match(await dispatch.locator('.alert-head').innerText(), /by Test disp \(dispatcher\)/);

    // The first escalation step goes out 4 s after the confirmation: it rings, and the next
    // step's deadline shows.
    before = await cues(board);
    await calledFor(board, id, 'escalation', before);
    await board.locator('#detail-escalation:not([hidden]) .escalation-due').waitFor({ timeout: WAIT_MS });
    await eventually(async () => /Next escalation .* \(in (59|60) min/.test(await board.locator('#detail-escalation').innerText()), 'the next step in an hour');

    // The observer on scene sends word (her false alarm is an update): it rings.
    await board.locator(`#incidents [data-incident="${id}"]`).click(); // seen so far
    const dispatchAlert = (await api('GET', `/v1/incidents/${id}`, DISPATCHER)).alerts.find((a) => a.type === 'DISPATCH');
    await api('POST', '/v1/acks', OBSERVER, { alertId: dispatchAlert.id, incidentId: id, state: 'ON_SCENE' });
    before = await cues(board);
    await api('POST', `/v1/incidents/${id}/updates`, OBSERVER, { text: 'Observer on scene reports a false alarm.' });
    await calledFor(board, id, 'observer', before);
    assert.match(await board.locator(`#timeline [data-kind="alert"][data-type="UPDATE"]`).last().innerText(), /by Test obs-bh \(legal observer\)/);

    // She does not answer "Are you OK?": the missed check-in rings.
    await board.locator(`#incidents [data-incident="${id}"]`).click();
    before = await cues(board);
    await calledFor(board, id, 'missed', before);
    await board.screenshot({ path: `${ARTIFACTS}/board-attention-desktop.png`, fullPage: true });
    assert.deepEqual(board.problems, []);
  } finally {
    await observer?.context().close();
    await board.context().close();
  }
});

test('false alarm and resolve ask first; a closed incident reopens, saying why', async () => {
  const board = await open(browser, NODE, '/board.html', DISPATCHER);
  try {
    const id = await report(SPOTS.b, 'CHECKPOINT');
    await board.locator(`#incidents [data-incident="${id}"]`).click();
    await board.locator(`#detail[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });

    for (const action of ['false-alarm', 'resolve']) {
      await board.locator(`#detail [data-action="${action}"]`).click();
      await board.locator('#confirm-step[open]').waitFor({ timeout: WAIT_MS });
      assert.match(await board.locator('#confirm-step-question').innerText(), /Everyone alerted \(\d+\)/);
      await board.locator('#confirm-step-cancel').click();
      await board.locator('#confirm-step').waitFor({ state: 'hidden', timeout: WAIT_MS });
      assert.equal((await api('GET', `/v1/incidents/${id}`, DISPATCHER)).status, 'REPORTED', `${action} cancelled changes nothing`);
    }
    await board.locator('#detail [data-action="false-alarm"]').click();
    await board.locator('#confirm-step-yes').click();
    await board.locator('#detail[data-status="FALSE_ALARM"]').waitFor({ timeout: WAIT_MS });

    // Closed by mistake: reopened, and the reason is required.
    const reopen = board.locator('#detail [data-action="reopen"]');
    await reopen.waitFor({ timeout: WAIT_MS });
    await reopen.click();
    await board.locator('#confirm-step[open]').waitFor({ timeout: WAIT_MS });
    await board.locator('#confirm-step-yes').click();
    await board.locator('#confirm-step-error:not([hidden])').waitFor({ timeout: WAIT_MS });
    assert.ok(await board.locator('#confirm-step[open]').isVisible(), 'no reason: the dialog stays');
    await board.locator('#confirm-step-reason').fill('False alarm by mistake: the checkpoint is still there');
    await board.locator('#confirm-step-yes').click();
    await board.locator('#detail[data-status="REPORTED"]').waitFor({ timeout: WAIT_MS });
    const incident = await api('GET', `/v1/incidents/${id}`, DISPATCHER);
    assert.equal(incident.status, 'REPORTED');
    assert.ok(incident.alerts.some((a) => a.type === 'UPDATE' && a.note === 'False alarm by mistake: the checkpoint is still there'));
    assert.deepEqual(board.problems, []);
  } finally {
    await board.context().close();
  }
});

test("an update's location field moves a raid: the board names the new neighborhood and keeps the caller's words", async () => {
  const board = await open(browser, NODE, '/board.html', DISPATCHER);
  try {
    const id = await report(SPOTS.c, 'PATROL', 'car wash on Soto');
    await board.locator(`#incidents [data-incident="${id}"]`).click();
    await board.locator(`#detail[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });

    // Picked on the map: the fields get the point.
    await board.locator('#pick-location').click();
    const box = await board.locator('#map svg').boundingBox();
    await board.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
    assert.match(await board.locator('#update-lat').inputValue(), /^\d+\.\d+$/);
    assert.match(await board.locator('#update-lon').inputValue(), /^-\d+\.\d+$/);

    // Typed: City Hall.
    await board.locator('#update-lat').fill(String(CITY_HALL.lat));
    await board.locator('#update-lon').fill(String(CITY_HALL.lon));
    await board.locator('#action-text').fill('They moved to City Hall');
    await board.locator('#detail [data-action="updates"]').click();
    await board.locator('#action-result.ok').waitFor({ timeout: WAIT_MS });
    await eventually(async () => /Downtown/.test(await board.locator('#detail-title').innerText()), 'the title names Downtown');
    assert.match(await board.locator(`#incidents [data-incident="${id}"] strong`).innerText(), /Downtown/);
    assert.match(await board.locator('#detail-summary').innerText(), /car wash on Soto/);
    const incident = await api('GET', `/v1/incidents/${id}`, DISPATCHER);
    assert.equal(incident.neighborhood, 'downtown');
    assert.equal(incident.neighborhoodName, 'Downtown');
    assert.equal(incident.location.description, 'car wash on Soto');
    assert.equal(incident.location.lat, CITY_HALL.lat);
    assert.deepEqual(board.problems, []);
  } finally {
    await board.context().close();
  }
});

test('in Spanish, after a reload: the incidents closed in the last 72 hours, filtered', async () => {
  const strings = JSON.parse(await readFile(new URL('i18n/es.json', WEB), 'utf8'));
  const id = await report({ lat: 34.0297, lon: -118.2046 }, 'ARREST');
  await api('POST', `/v1/incidents/${id}/resolve`, DISPATCHER, { text: 'se fueron' });
  const board = await open(browser, NODE, '/board.html', DISPATCHER, { language: 'es' });
  try {
    await board.waitForTimeout(500);
    assert.equal(await board.locator(`#incidents [data-incident="${id}"]`).count(), 0, 'a closed incident is not in the open list after a reload');
    await board.locator('#show-history').click();
    const item = board.locator(`#history [data-incident="${id}"]`);
    await item.waitFor({ timeout: WAIT_MS });
    assert.match(await item.innerText(), /Cerrado/);
    assert.match(await item.locator('.ago').innerText(), /hace|ahora/);

    await board.locator('#history-status').selectOption('FALSE_ALARM');
    await item.waitFor({ state: 'detached', timeout: WAIT_MS });
    await board.locator('#history-status').selectOption('RESOLVED');
    await item.waitFor({ timeout: WAIT_MS });
    await board.locator('#history-text').fill('nada así');
    await board.locator('#history-empty:not([hidden])').waitFor({ timeout: WAIT_MS });
    await board.locator('#history-text').fill('');
    await item.click();
    await board.locator(`#detail[data-incident="${id}"] [data-action="reopen"]:not([hidden])`).waitFor({ timeout: WAIT_MS });
    await board.locator('#detail [data-action="reopen"]').click();
    await board.locator('#confirm-step[open]').waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await untranslated(board, strings), []);
    await board.screenshot({ path: `${ARTIFACTS}/board-history-es.png`, fullPage: true });
    await board.locator('#confirm-step-cancel').click();
    assert.deepEqual(board.problems, []);
  } finally {
    await board.context().close();
  }
});

test('where the browser allows sound only after a touch, one click turns the cues on', async () => {
  // Chromium as it comes: no autoplay without a gesture (launch() in pages.mjs allows it).
  const strict = await chromium.launch({ executablePath: process.env.PUENTE_CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    // Signed in from the tab's storage, as after a reload, with no touch on the site at all (a
    // reload after the sign-in's click may keep Chromium's permission): the page asks for one.
    const context = await strict.newContext({ locale: 'en-US', timezoneId: 'America/Los_Angeles' });
    await context.addInitScript((token) => {
      localStorage.setItem('puente.lang', 'en');
      sessionStorage.setItem('puente.token', token);
    }, DISPATCHER);
    const board = await context.newPage();
    await board.goto(`${NODE}/board.html`);
    await board.locator('#connection[data-state="online"]').waitFor({ timeout: WAIT_MS });
    const sound = board.locator('#sound');
    await sound.waitFor({ timeout: WAIT_MS });
    assert.equal((await sound.innerText()).trim(), 'Turn on alert sounds (one click)');
    await sound.click();
    await sound.waitFor({ state: 'hidden', timeout: WAIT_MS });
  } finally {
    await strict.close();
  }
});
