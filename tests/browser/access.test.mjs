// Issue 20, access (run by browser_test.cpp against one node): axe-core (locked in
// package.json) on every page in English and Spanish, signed in and not, finds no serious or
// critical violation of WCAG 2.1 A/AA; the map's markers differ by shape and sign, are reached
// and opened by keyboard and keep the focus when redrawn; the focus ring shows on the red
// header; a card redrawn by a new alert keeps the focus on the observer's page; an incident card
// on the board keeps the keyboard's focus when a live update redraws the list, and says
// "1 reporter", "2 reporters" (the language's plural rules, in English and Spanish).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { WAIT_MS, env, launch, open, openPage } from './pages.mjs';

const NODE = env('PUENTE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const AXE = await readFile(new URL('node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

const spot = (i) => ({ lat: 34.025 + (i % 3) * 0.008, lon: -118.22 + (Math.floor(i / 3) % 4) * 0.008 });

let browser;
before(async () => {
  browser = await launch();
  // Something on every page: two incidents, one confirmed.
  for (const i of [0, 1]) {
    const response = await fetch(`${NODE}/v1/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ location: spot(i), kind: 'RAID', description: 'vans' }),
    });
    assert.equal(response.status, 201);
    if (i === 1) {
      const { incident } = await response.json();
      await fetch(`${NODE}/v1/incidents/${incident.id}/confirm`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${DISPATCHER}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
    }
  }
});
after(async () => {
  await browser?.close();
});

// axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now. Evaluated
// through the DevTools protocol, which the page's Content-Security-Policy does not govern.
async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

const PAGES = [
  ['index.html', null, async () => {}],
  ['intake.html', OPERATOR, async (page) => page.locator('.map .hood').first().waitFor({ timeout: WAIT_MS })],
  ['board.html', DISPATCHER, async (page) => {
    await page.locator('#incidents [data-incident]').first().click();
    await page.locator('#timeline li').first().waitFor({ timeout: WAIT_MS });
  }],
  ['observer.html', OBSERVER, async (page) => page.locator('.alert-card').first().waitFor({ timeout: WAIT_MS })],
];

test('axe-core finds no serious or critical violation on any page, in English and Spanish, signed in or not', async () => {
  const found = [];
  for (const [file, token, ready] of PAGES)
    for (const language of ['en', 'es']) {
      for (const signedIn of token ? [false, true] : [false]) {
        const page = signedIn
          ? await open(browser, NODE, `/${file}`, token, { language, size: file === 'observer.html' ? 'phone' : 'desktop' })
          : await openPage(browser, NODE, `/${file}`, { language });
        await page.locator('html.i18n-ready').waitFor({ timeout: WAIT_MS });
        if (signedIn) await ready(page);
        for (const v of await violations(page)) found.push(`${file} ${language}${signedIn ? '' : ' (signed out)'}: ${v}`);
        await page.context().close();
      }
    }
  assert.deepEqual(found, []);
});

test('markers differ by shape and sign, are reached and opened by keyboard, and keep the focus when redrawn', async () => {
  const page = await open(browser, NODE, '/board.html', DISPATCHER);
  const markers = page.locator('#map [data-incident]');
  await markers.first().waitFor({ timeout: WAIT_MS });
  const shapes = await markers.evaluateAll((all) => all.map((m) => [m.getAttribute('class'), m.querySelector('.marker-sign').textContent, m.tabIndex, m.getAttribute('role')]));
  const reported = shapes.find(([c]) => c.includes('status-REPORTED'));
  const confirmed = shapes.find(([c]) => c.includes('status-CONFIRMED'));
  assert.ok(reported && confirmed, JSON.stringify(shapes));
  assert.notEqual(reported[1], confirmed[1], 'the two statuses show the same sign');
  assert.match(reported[0], /shape-diamond/);
  for (const [, , tabIndex, role] of shapes) assert.deepEqual([tabIndex, role], [0, 'button']);

  // Tab from the incident list's end reaches a marker? The markers come first in the page
  // order: Tab from the top until one has the focus.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  let onMarker = false;
  for (let i = 0; i < 40 && !onMarker; i++) {
    await page.keyboard.press('Tab');
    onMarker = await page.evaluate(() => Boolean(document.activeElement?.closest?.('#map [data-incident]')));
  }
  assert.ok(onMarker, 'Tab never reached a marker');
  const id = await page.evaluate(() => document.activeElement.closest('[data-incident]').dataset.incident);
  await page.keyboard.press('Enter');
  await page.locator(`#detail[data-incident="${id}"]`).waitFor({ timeout: WAIT_MS });
  // Selecting redrew the markers: the focus stayed on the same one.
  assert.equal(await page.evaluate(() => document.activeElement?.closest?.('[data-incident]')?.dataset.incident), id);
  await page.screenshot({ path: `${ARTIFACTS}/board-marker-focus.png` });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the focus ring shows on the red header', async () => {
  const page = await open(browser, NODE, '/intake.html', OPERATOR);
  // Back from the form's first field: the header's last control (sign out).
  await page.locator('#neighborhood-name').focus();
  let outline = null;
  for (let i = 0; i < 4 && !outline; i++) {
    await page.keyboard.press('Shift+Tab');
    outline = await page.evaluate(() => {
      const active = document.activeElement;
      if (!active?.closest('.bar')) return null;
      const style = getComputedStyle(active);
      return { color: style.outlineColor, width: style.outlineWidth, style: style.outlineStyle };
    });
  }
  assert.deepEqual(outline, { color: 'rgb(255, 255, 255)', width: '3px', style: 'solid' });
  await page.context().close();
});

test('a card redrawn by a new alert keeps the focus of the observer\'s keyboard', async () => {
  const page = await open(browser, NODE, '/observer.html', OBSERVER, { size: 'phone' });
  const card = page.locator('.alert-card').first();
  await card.waitFor({ timeout: WAIT_MS });
  const id = await card.getAttribute('data-incident');
  await card.locator('button[data-ack="DECLINED"]').focus();
  const before = await page.locator('.alert-card').count();
  await fetch(`${NODE}/v1/reports`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ location: spot(5), kind: 'RAID' }),
  });
  await page.locator('.alert-card').nth(before).waitFor({ state: 'attached', timeout: WAIT_MS });
  const focused = await page.evaluate(() => [document.activeElement?.dataset.ack, document.activeElement?.closest('.alert-card')?.dataset.incident]);
  assert.deepEqual(focused, ['DECLINED', id]);
  await page.context().close();
});

test('an incident card on the board keeps the focus through a live update, and counts its reporters in the plural rules of the language', async () => {
  const page = await open(browser, NODE, '/board.html', DISPATCHER);
  const cards = page.locator('#incidents [data-incident]');
  await cards.nth(1).waitFor({ timeout: WAIT_MS });
  const metas = async () => Object.fromEntries(await cards.evaluateAll((all) => all.map((c) => [c.dataset.incident, c.querySelector('.meta').firstChild.textContent])));
  const reportedAt = async (where, token = OPERATOR) => {
    const response = await fetch(`${NODE}/v1/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ location: where, kind: 'RAID' }),
    });
    assert.equal(response.status, 201);
    return (await response.json()).incident.id;
  };
  const reportersOf = async (id) => (await (await fetch(`${NODE}/v1/incidents/${id}`, { headers: { Authorization: `Bearer ${DISPATCHER}` } })).json()).reporters;
  const shows = async (id, words) => {
    const until = Date.now() + WAIT_MS;
    while (!(await metas())[id]?.includes(words)) {
      if (Date.now() > until) assert.fail(`no "${words}" on ${id}: ${JSON.stringify(await metas())}; the API says ${await reportersOf(id)} reporters`);
      await page.waitForTimeout(100);
    }
  };
  // Where the first incident of this file was reported (spot(0)): the card to keep the focus on.
  const first = await reportedAt(spot(0));
  const reporters = await reportersOf(first);
  await shows(first, ` · ${reporters} reporter${reporters === 1 ? '' : 's'} · `);
  // Each card redraws on a live update; the keyboard user is on this one.
  await page.locator(`#incidents [data-incident="${first}"]`).focus();

  // Someone else (the dispatcher, who saw it too) reports the same place: a live update, and
  // one reporter more.
  assert.equal(await reportedAt({ lat: spot(0).lat + 0.0002, lon: spot(0).lon }, DISPATCHER), first);
  const more = reporters + 1;
  assert.equal(await reportersOf(first), more);
  await shows(first, ` · ${more} reporters · `);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.incident), first, 'the redraw took the focus off the card');
  await page.keyboard.press('Enter');
  await page.locator(`#detail[data-incident="${first}"]`).waitFor({ timeout: WAIT_MS });

  // One reporter is singular, more plural, in both languages: no "reporter(s)".
  const single = await reportedAt(spot(10));
  await page.locator(`#incidents [data-incident="${single}"]`).waitFor({ timeout: WAIT_MS });
  for (const [language, one, many] of [['en', ' · 1 reporter · ', ` · ${more} reporters · `], ['es', ' · 1 reportante · ', ` · ${more} reportantes · `]]) {
    await page.locator('#language').selectOption(language);
    await page.locator(`html[lang="${language}"]`).waitFor({ timeout: WAIT_MS });
    const texts = await metas();
    assert.ok(texts[single].includes(one), `${language}: ${texts[single]}`);
    assert.ok(texts[first].includes(many), `${language}: ${texts[first]}`);
    assert.ok(!Object.values(texts).some((text) => text.includes('(s)')), JSON.stringify(texts));
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
