// The observer app in a real Chromium against real puented nodes (browser_test.cpp starts them,
// the tests' own Web Push service (tests/push_service/push_service.mjs) and Redis):
//   - installable: the manifest and its icons as served, and as Chromium itself judges them
//     (no manifest error, no installability error), the service worker at /sw.js registered
//     under the pages' strict Content-Security-Policy;
//   - on an iPhone, outside the Home Screen, the page first says how to add it;
//   - a network without Web Push says so plainly;
//   - an alert to a closed page: "Get alerts on this phone" hands the server the phone's
//     subscription; the page is closed; a raid is reported; the server sends the push (read back
//     decrypted from the push service: the exact JSON the server sent), which is delivered to the
//     service worker through the DevTools protocol (ServiceWorker.deliverPushMessage); the
//     notification shows the alert in the observer's language and the server hears it was shown;
//     "On my way" on it records the ack; a tap on it opens the page at the incident; the phone
//     stays signed in (device token) until it signs out, which revokes that token.
//
// Headless Chromium has no push service (pushManager.subscribe is refused, or ends the browser
// in a profile of its own), so where the page subscribes, the browser's answer is replaced by
// the push service's subscription (phoneSubscription below): the page, the server and the
// service worker are the real ones, only the phone's push service is the tests'.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { WAIT_MS, env, launch, openPage, signIn, untranslated } from './pages.mjs';
import { pngSize } from './png.mjs';

const NODE = env('PUENTE_NODE');
const OPERATOR = env('PUENTE_TOKEN_OPERATOR');
const DISPATCHER = env('PUENTE_TOKEN_DISPATCHER');
const OBSERVER = env('PUENTE_TOKEN_OBSERVER');
const OBSERVER_ID = env('PUENTE_OBSERVER_ID');
const PUSH_ADMIN = env('PUENTE_PUSH_ADMIN');
const PHONE = { endpoint: env('PUENTE_PUSH_ENDPOINT'), p256dh: env('PUENTE_PUSH_P256DH'), auth: env('PUENTE_PUSH_AUTH') };
const PLAIN_NODE = env('PUENTE_PLAIN_NODE');
const PLAIN_OBSERVER = env('PUENTE_PLAIN_OBSERVER');
const ARTIFACTS = env('PUENTE_ARTIFACTS');
const WEB = new URL('../../server/web/', import.meta.url);
const TEMPLATES = new URL('../../config/templates/', import.meta.url);
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let browser;
let es;
before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launch();
  es = JSON.parse(await readFile(new URL('i18n/es.json', WEB), 'utf8'));
});
after(async () => {
  await browser?.close();
});

async function api(method, path, token, body, origin = NODE) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

// Polls `probe` until it answers something truthy; fails with `what` after `ms`.
async function eventually(probe, what, ms = WAIT_MS) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// Where the page subscribes, the push service's subscription stands in for the browser's (see
// the top of this file); kept in localStorage, as a browser keeps its own across page loads.
function phoneSubscription(context) {
  return context.addInitScript((phone) => {
    const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const made = () => {
      const key = localStorage.getItem('test.subscribedWith');
      if (!key) return null;
      return {
        endpoint: phone.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: bytes(key).buffer },
        getKey: (name) => bytes(phone[name]).buffer,
        toJSON: () => ({ endpoint: phone.endpoint, expirationTime: null, keys: { p256dh: phone.p256dh, auth: phone.auth } }),
        unsubscribe: async () => {
          localStorage.removeItem('test.subscribedWith');
          return true;
        },
      };
    };
    PushManager.prototype.subscribe = async function subscribe(options) {
      if (options?.userVisibleOnly !== true) throw new DOMException('userVisibleOnly must be true', 'NotAllowedError');
      const key = new Uint8Array(options.applicationServerKey);
      if (key.length !== 65 || key[0] !== 4) throw new DOMException('not a P-256 applicationServerKey', 'InvalidAccessError');
      localStorage.setItem('test.subscribedWith', btoa(String.fromCharCode(...key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
      return made();
    };
    PushManager.prototype.getSubscription = async function getSubscription() {
      return made();
    };
  }, PHONE);
}

function problemsOf(page) {
  return page.problems.filter((p) => !/Failed to load resource/.test(p));
}

test('the observer app is installable: manifest, icons and service worker as served and as Chromium judges them', async () => {
  const manifestResponse = await fetch(`${NODE}/manifest.webmanifest`);
  assert.equal(manifestResponse.status, 200);
  assert.equal(manifestResponse.headers.get('content-type'), 'application/manifest+json');
  const manifest = await manifestResponse.json();
  for (const member of ['name', 'short_name', 'start_url', 'display', 'theme_color', 'background_color', 'icons'])
    assert.ok(manifest[member], `the manifest has ${member}`);
  assert.equal(manifest.start_url, '/observer.html');
  assert.equal(manifest.display, 'standalone');
  const purposes = manifest.icons.map((i) => `${i.sizes} ${i.purpose || 'any'}`);
  for (const needed of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(purposes.includes(needed), `an icon ${needed}: ${purposes}`);
  for (const icon of manifest.icons) {
    const response = await fetch(new URL(icon.src, NODE));
    assert.equal(response.status, 200, icon.src);
    assert.equal(response.headers.get('content-type'), 'image/png', icon.src);
    const [width, height] = icon.sizes.split('x').map(Number);
    assert.deepEqual(pngSize(Buffer.from(await response.arrayBuffer())), { width, height }, `${icon.src} is ${icon.sizes}`);
  }

  const html = await (await fetch(`${NODE}/observer.html`)).text();
  assert.match(html, /<link rel="manifest" href="\/manifest.webmanifest">/);
  const touchIcon = /<link rel="apple-touch-icon" href="([^"]+)">/.exec(html)?.[1];
  assert.ok(touchIcon, 'observer.html names an apple-touch-icon');
  assert.deepEqual(pngSize(Buffer.from(await (await fetch(new URL(touchIcon, NODE))).arrayBuffer())), { width: 180, height: 180 });

  // The worker goes out as a script, under the same strict policy as every page, and nothing more.
  const worker = await fetch(`${NODE}/sw.js`);
  assert.equal(worker.status, 200);
  assert.match(worker.headers.get('content-type'), /^text\/javascript/);
  const pagePolicy = (await fetch(`${NODE}/observer.html`)).headers.get('content-security-policy');
  assert.equal(worker.headers.get('content-security-policy'), pagePolicy);
  assert.match(pagePolicy, /default-src 'self'/);
  assert.doesNotMatch(pagePolicy, /unsafe-inline|unsafe-eval|\*/);
  assert.equal(worker.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(worker.headers.get('service-worker-allowed'), null, 'a worker at the root needs no wider scope');

  // Chromium's own verdict, in a profile of its own (installing is refused in an incognito one).
  const profile = await mkdtemp(join(tmpdir(), 'puente-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.PUENTE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--no-first-run'],
    viewport: { width: 390, height: 844 },
  });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${NODE}/observer.html`);
    await signIn(page, OBSERVER);
    const registration = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      return { scope: r.scope, script: r.active?.scriptURL };
    });
    assert.deepEqual(registration, { scope: `${NODE}/`, script: `${NODE}/sw.js` });
    const cdp = await context.newCDPSession(page);
    const { errors, url } = await cdp.send('Page.getAppManifest');
    assert.equal(url, `${NODE}/manifest.webmanifest`);
    assert.deepEqual(errors, [], 'Chromium finds no error in the manifest');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium would install it');
    assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('on an iPhone, in Safari rather than from the Home Screen, the page first says how to add it', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, userAgent: IPHONE_SAFARI, locale: 'es-US' });
  await context.addInitScript(() => localStorage.setItem('puente.lang', 'es'));
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(e.message));
  await page.goto(`${NODE}/observer.html`);
  await signIn(page, OBSERVER);
  await page.locator('#phone-alerts[data-state="install"]').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#push-state').textContent(), es['phones.install']);
  assert.deepEqual(await page.locator('#install-guide li').allTextContents(), [es['phones.installShare'], es['phones.installAdd'], es['phones.installOpen']]);
  assert.equal(await page.locator('#push-enable').isVisible(), false, 'no button that cannot work there');
  assert.deepEqual(await untranslated(page, es), []);
  await page.screenshot({ path: `${ARTIFACTS}/observer-iphone-install-es.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Needs GET /v1/push/key (branch push-routes): 404 push_not_configured without [push].
test('on a network without Web Push, the page says so plainly and offers no button', async () => {
  const page = await openPage(browser, PLAIN_NODE, '/observer.html', { size: 'phone', language: 'es' });
  await signIn(page, PLAIN_OBSERVER);
  await page.locator('#phone-alerts[data-state="not-configured"]').waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#push-state').textContent(), es['phones.notConfigured']);
  assert.equal(await page.locator('#push-enable').isVisible(), false);
  assert.deepEqual(problemsOf(page), []);
  await page.context().close();
});

// Needs the merge of push-routes (the /v1/me/push-subscriptions, /v1/push/*, device-token and
// capability routes) and push-pipeline (the push itself, Delivery.pushed_at/shown_at).
test('an alert to a closed page comes by Web Push in the observer\'s language, and "On my way" on it acks', async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'es-US',
    timezoneId: 'America/Los_Angeles',
    permissions: ['notifications'],
  });
  await context.addInitScript(() => localStorage.setItem('puente.lang', 'es'));
  await phoneSubscription(context);
  const track = (page) => {
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
    });
    return page;
  };
  try {
    // Maria turns alerts on on her phone.
    const observer = track(await context.newPage());
    await observer.goto(`${NODE}/observer.html`);
    await signIn(observer, OBSERVER);
    await observer.locator('#phone-alerts[data-state="off"]').waitFor({ timeout: WAIT_MS });
    await observer.locator('#device-label').fill('Teléfono de María');
    await observer.locator('#push-enable').click();
    await observer.locator('#phone-alerts[data-state="on"]').waitFor({ timeout: WAIT_MS });
    assert.equal(await observer.locator('#push-state').textContent(), es['phones.on']);
    await observer.locator('#my-phones summary').click();
    await observer.locator('#phone-list [data-this-phone="true"]', { hasText: 'Teléfono de María' }).waitFor({ timeout: WAIT_MS });
    await observer.screenshot({ path: `${ARTIFACTS}/observer-phone-alerts-on-es.png`, fullPage: true });
    const mine = await api('GET', '/v1/me/push-subscriptions', OBSERVER);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.subscriptions.map((s) => [s.endpoint, s.device]), [[PHONE.endpoint, 'Teléfono de María']]);
    const device = await observer.evaluate(() => JSON.parse(localStorage.getItem('puente.deviceToken')));
    assert.match(device?.id || '', /\S/, 'a device token was issued for this phone');
    assert.notEqual(device.token, OBSERVER);
    assert.equal((await api('GET', '/v1/me/push-subscriptions', device.token)).status, 200, 'the device token signs in');

    // She puts the phone away: the page is closed (its socket with it). Until the node has seen
    // the socket close, an alert would go to it and her push would wait for the ladder's later rung.
    await observer.close();
    await eventually(async () => {
      const { body } = await api('GET', '/v1/roster/on-call?neighborhood=boyle-heights', DISPATCHER);
      return !(body.connected || []).includes(OBSERVER_ID);
    }, 'the node to see her page close');

    // A raid is reported in Boyle Heights.
    const reported = await api('POST', '/v1/reports', OPERATOR, {
      location: { lat: 34.0335, lon: -118.211, description: 'lavado de autos en César Chávez' },
      kind: 'RAID',
      description: '3 camionetas sin placas',
    });
    assert.equal(reported.status, 201, JSON.stringify(reported.body));
    const incidentId = reported.body.incident?.id || reported.body.id;
    assert.match(incidentId, /\S/);

    // The push the server sent, as the push service decrypted it.
    const received = await eventually(async () => {
      const all = await (await fetch(`${PUSH_ADMIN}/received`)).json();
      return all.find((p) => p.payload && JSON.parse(Buffer.from(p.payload, 'base64').toString()).alert?.incidentId === incidentId);
    }, `a push about ${incidentId} at the push service`);
    assert.deepEqual(received.errors, [], 'the push service found nothing wrong with it');
    assert.equal(received.urgency, 'high');
    const text = Buffer.from(received.payload, 'base64').toString();
    const push = JSON.parse(text);
    assert.equal(push.v, 1);
    assert.equal(push.kind, 'alert');
    assert.equal(push.lang, 'es');
    assert.equal(push.urgent, true);
    assert.equal(push.alert.type, 'VERIFY');
    assert.equal(push.url, `/observer.html#incident=${incidentId}`);
    assert.deepEqual(push.actions.map((a) => a.action), ['EN_ROUTE', 'DECLINED']);
    assert.match(push.capability, /^ac1\./);

    // The phone's push service hands it to the service worker.
    const phone = track(await context.newPage());
    await phone.goto(`${NODE}/index.html`);
    const cdp = await context.newCDPSession(phone);
    const registrations = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
    await cdp.send('ServiceWorker.enable');
    const registration = await eventually(() => registrations.find((r) => r.scopeURL === `${NODE}/` && !r.isDeleted), 'the service worker registration');
    const deliver = () => cdp.send('ServiceWorker.deliverPushMessage', { origin: NODE, registrationId: registration.registrationId, data: text });
    const shown = () =>
      eventually(
        () => phone.evaluate(async (tag) => {
          const [n] = await (await navigator.serviceWorker.ready).getNotifications({ tag });
          return n && { title: n.title, body: n.body, lang: n.lang, tag: n.tag, requireInteraction: n.requireInteraction, actions: n.actions.map((a) => [a.action, a.title]), url: n.data?.url };
        }, push.tag),
        'the notification',
      );
    await deliver();
    const notification = await shown();
    assert.deepEqual(notification, {
      title: push.title,
      body: push.body,
      lang: 'es',
      tag: push.tag,
      requireInteraction: true,
      actions: push.actions.map((a) => [a.action, a.title]),
      url: `${NODE}/observer.html#incident=${incidentId}`,
    });
    // In Spanish: the kind as es.toml words it, not as en.toml does.
    const kindIn = async (lang) => /^RAID = "(.*)"$/m.exec(await readFile(new URL(`${lang}.toml`, TEMPLATES), 'utf8'))[1];
    const words = `${notification.title} ${notification.body}`;
    assert.ok(words.includes(await kindIn('es')), words);
    assert.ok(!words.includes(await kindIn('en')), words);

    // The server heard that the phone showed it.
    const delivery = () => api('GET', `/v1/incidents/${incidentId}`, DISPATCHER).then(({ body }) =>
      (body.deliveries || []).find((d) => d.alertId === push.alert.id && d.responderId === OBSERVER_ID));
    const reached = await eventually(async () => {
      const d = await delivery();
      return d?.pushedAt && d?.shownAt && d;
    }, 'Delivery.pushedAt and shownAt');
    assert.ok(Date.parse(reached.shownAt) >= Date.parse(reached.pushedAt) - 1000, JSON.stringify(reached));

    // "On my way" on the notification: the service worker acks with the push's capability. The
    // tap itself cannot be made headless: the worker's own click handler is called with the
    // notification and the action, as the browser would.
    const [worker] = context.serviceWorkers();
    assert.ok(worker, 'the service worker is running');
    await worker.evaluate(async (tag) => {
      const [n] = await self.registration.getNotifications({ tag });
      await onNotificationClick({ notification: n, action: 'EN_ROUTE' });
    }, push.tag);
    const acked = await eventually(async () => {
      const { body } = await api('GET', `/v1/incidents/${incidentId}`, DISPATCHER);
      return (body.acks || []).find((a) => a.responderId === OBSERVER_ID && a.state === 'EN_ROUTE' && a.alertId === push.alert.id);
    }, 'the EN_ROUTE ack on the server');
    assert.equal(acked.incidentId, incidentId);
    assert.deepEqual(await phone.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length), 0, 'answered: the notification is gone');

    // The board shows the way it went.
    const board = await openPage(browser, NODE, '/board.html');
    await signIn(board, DISPATCHER);
    await board.locator(`#incidents [data-incident="${incidentId}"]`).click();
    const row = board.locator(`#delivery tr[data-alert="${push.alert.id}"][data-responder="${OBSERVER_ID}"]`);
    for (const step of ['pushed', 'shown', 'acked']) await row.locator(`td[data-step="${step}"].done`).waitFor({ timeout: WAIT_MS });
    await board.screenshot({ path: `${ARTIFACTS}/board-delivery.png`, fullPage: true });
    assert.deepEqual(problemsOf(board), []);
    await board.context().close();

    // The phone opens the app again: still signed in (its device token), and a tap on the
    // notification of a newer push brings that page to the incident.
    const app = track(await context.newPage());
    await app.goto(`${NODE}/observer.html`);
    await app.locator('#connection[data-state="online"]').waitFor({ timeout: WAIT_MS });
    await app.locator('#phone-alerts[data-state="on"]').waitFor({ timeout: WAIT_MS });
    await deliver();
    await shown();
    await worker.evaluate(async (tag) => {
      const [n] = await self.registration.getNotifications({ tag });
      await onNotificationClick({ notification: n, action: '' });
    }, push.tag);
    await app.locator(`.alert-card.opened[data-incident="${incidentId}"]`).waitFor({ timeout: WAIT_MS });
    // Opened from an address with #incident= (a notification tapped with no page open).
    const opened = track(await context.newPage());
    await opened.goto(`${NODE}/observer.html#incident=${incidentId}`);
    await opened.locator(`.alert-card.opened[data-incident="${incidentId}"]`).waitFor({ timeout: WAIT_MS });
    await opened.close();

    // Signing out takes the phone off the alerts and revokes its device token.
    await app.locator('#sign-out').click();
    await app.locator('#sign-in').waitFor({ timeout: WAIT_MS });
    assert.equal(await app.evaluate(() => localStorage.getItem('puente.deviceToken')), null);
    await eventually(async () => (await api('GET', '/v1/me/push-subscriptions', device.token)).status === 401, 'the device token refused');
    assert.deepEqual((await api('GET', '/v1/me/push-subscriptions', OBSERVER)).body.subscriptions || [], []);
    for (const page of [phone, app]) assert.deepEqual(problemsOf(page), [], `problems on ${page.url()}`);
  } finally {
    await context.close();
  }
});
