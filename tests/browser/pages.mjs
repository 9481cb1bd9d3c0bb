// What the browser tests share: Debian's Chromium started by playwright-core, a signed-in page
// of a given size and language, and watchers that fail a test on a page error, a
// Content-Security-Policy violation or a request to anywhere but the node that served it.

import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

// Generous on purpose: ASan-built nodes on a busy 2-core machine. A wait ends a stuck test; it
// measures nothing.
// A setting browser_test.cpp passes in the environment (node addresses, tokens, folders).
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through browser_test.cpp (ctest -L browser)`);
  return value;
}

export const WAIT_MS = 20000;

export const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export function launch() {
  return chromium.launch({
    executablePath: process.env.PUENTE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--metrics-recording-only',
      // Sound without a touch: the observer's beep is exercised, not skipped.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

// A fresh context (its own storage: one person), with its problems collected in `problems` and
// every request it made in `requests`. `alsoFrom`: origins it may load from besides `origin`
// (a configured tile server).
// `init`: a script run in the page before its own (a test's stand-in for a device API).
export async function openPage(browser, origin, path, { size = 'desktop', language = 'en', geolocation, alsoFrom = [], init } = {}) {
  const context = await browser.newContext({
    ...SIZES[size],
    // The network's own zone and the reader's language, as a phone in Los Angeles has them.
    timezoneId: 'America/Los_Angeles',
    locale: language === 'es' ? 'es-US' : 'en-US',
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
  });
  await context.addInitScript((lang) => localStorage.setItem('puente.lang', lang), language);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(`console: ${m.text()}`);
    if (/Content Security Policy/i.test(m.text())) page.problems.push(`CSP: ${m.text()}`);
  });
  page.requests = [];
  const allowed = new Set([origin, origin.replace('http:', 'ws:'), ...alsoFrom]);
  page.on('request', (r) => {
    page.requests.push(r);
    const url = new URL(r.url());
    if (!allowed.has(url.origin) && url.protocol !== 'data:') page.problems.push(`outside request: ${r.url()}`);
  });
  // What the page sent on its live lines, parsed (a test may check what a hello asked for).
  page.sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (frame) => {
    try {
      page.sent.push(JSON.parse(frame.payload));
    } catch {
      // not JSON: not ours to check here
    }
  }));
  await page.goto(origin + path);
  return page;
}

export async function signIn(page, token) {
  await page.locator('#token').fill(token);
  await page.locator('#sign-in button[type="submit"]').click();
  await page.locator('#connection[data-state="online"]').waitFor({ timeout: WAIT_MS });
}

export async function open(browser, origin, path, token, options) {
  const page = await openPage(browser, origin, path, options);
  await signIn(page, token);
  return page;
}

// Every text the page shows by key, checked against `strings` (the language's file): each key
// has a non-empty text that is not the key itself, and no visible text is a bare key.
export async function untranslated(page, strings) {
  return page.evaluate((strings) => {
    const found = [];
    const keys = new Set(Object.keys(strings));
    for (const node of document.querySelectorAll('[data-i18n],[data-i18n-placeholder],[data-i18n-aria-label],[data-i18n-title]')) {
      for (const key of [node.dataset.i18n, node.dataset.i18nPlaceholder, node.dataset.i18nAriaLabel, node.dataset.i18nTitle]) {
        if (key === undefined) continue;
        const text = strings[key];
        if (typeof text !== 'string' || text.trim() === '' || text === key) found.push(`no translation for ${key}`);
      }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      if (!text || !n.parentElement?.checkVisibility?.()) continue;
      if (keys.has(text) || /^[a-z]+\.[a-zA-Z_.-]+$/.test(text)) found.push(`key shown as text: ${text}`);
      if (/\{\w+\}/.test(text)) found.push(`placeholder left in: ${text}`);
    }
    for (const input of document.querySelectorAll('[placeholder]'))
      if (keys.has(input.placeholder)) found.push(`key shown as placeholder: ${input.placeholder}`);
    return found;
  }, strings);
}

// A call of the node's API that must succeed (a test's own set-up and checks): its JSON answer.
export async function apiOk(origin, method, path, token, body) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text || '{}');
}
