// Text contrast of the pages, computed from their one stylesheet (server/web/css/puente.css),
// issue 20: white on the Reported/Verify orange was 3.46:1 and the closed cards' badges 2.9:1.
// WCAG 2.x AA asks 4.5:1 for text. Each rule that sets a text colour is checked against the
// background it sets, else the one its base rule sets (".badge.type-VERIFY" against ".badge"),
// else, for text on the page itself, both page backgrounds (--paper, --card); text in the header
// (".bar ...") against the header's. No rule may fade text with `opacity` (its contrast could
// not be checked here), except a disabled control (WCAG exempts it) and map tiles (no text).
// Node alone: run by ctest as PagesContrast (tests/CMakeLists.txt).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const CSS = new URL('../../server/web/css/puente.css', import.meta.url);
const AA_TEXT = 4.5;

// The stylesheet as { selectors, declarations } rules, @media blocks flattened.
function rulesOf(css) {
  const rules = [];
  const plain = css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/@media[^{]*\{/g, '');
  for (const block of plain.split('}')) {
    const [head, body] = block.split('{');
    if (!body) continue;
    const declarations = {};
    for (const line of body.split(';')) {
      const at = line.indexOf(':');
      if (at > 0) declarations[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    rules.push({ selectors: head.split(',').map((s) => s.trim()).filter(Boolean), declarations });
  }
  return rules;
}

function rgb(value, vars) {
  const v = value.replace(/var\((--[\w-]+)\)/g, (_, name) => vars[name] ?? name).trim();
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v)?.[1];
  if (!hex) return null; // rgba(), keywords: not a solid colour to check
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

// WCAG 2.x relative luminance and contrast ratio.
function luminance([r, g, b]) {
  const linear = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const backgroundOf = (declarations) => declarations['background-color'] ?? declarations.background;

test('the contrast formula gives the published values', () => {
  assert.equal(contrast([0, 0, 0], [255, 255, 255]).toFixed(1), '21.0');
  assert.equal(contrast([255, 255, 255], [0xc7, 0x77, 0x00]).toFixed(2), '3.46'); // the old orange
});

test('every text colour the stylesheet sets has at least 4.5:1 against its background', async () => {
  const rules = rulesOf(await readFile(CSS, 'utf8'));
  const root = rules.find((r) => r.selectors.includes(':root')).declarations;
  const vars = Object.fromEntries(Object.entries(root).filter(([k]) => k.startsWith('--')));
  const page = [rgb('var(--paper)', vars), rgb('var(--card)', vars)];
  const header = rgb(backgroundOf(rules.find((r) => r.selectors.includes('.bar')).declarations), vars);
  // The rule of `selector` with its last class (or state) taken off, and so on down.
  const baseRules = (selector) => {
    const found = [];
    for (let s = selector; /[.:[][^.:[]*$/.test(s) && s.includes('.', 1); ) {
      s = s.replace(/[.:[][^.:[]*$/, '').trim();
      found.push(...rules.filter((r) => r.selectors.includes(s)));
    }
    return found;
  };
  const failures = [];
  let checked = 0;
  for (const rule of rules)
    for (const selector of rule.selectors) {
      if (/::before|::after|:disabled|:hover/.test(selector)) continue;
      const bases = baseRules(selector);
      const colour = rule.declarations.color ?? (backgroundOf(rule.declarations) ? bases.find((b) => b.declarations.color)?.declarations.color : undefined);
      if (!colour) continue;
      const fg = rgb(colour, vars);
      if (!fg) continue;
      const ownBackground = backgroundOf(rule.declarations) ?? bases.map((b) => backgroundOf(b.declarations)).find(Boolean);
      let backgrounds = ownBackground ? [rgb(ownBackground, vars)].filter(Boolean) : page;
      if (!ownBackground && selector.startsWith('.bar')) backgrounds = [header];
      if (ownBackground && !backgrounds.length) continue; // a translucent background: not checkable
      for (const bg of backgrounds) {
        checked++;
        const ratio = contrast(fg, bg);
        if (ratio < AA_TEXT) failures.push(`${selector}: ${colour} on rgb(${bg}) is ${ratio.toFixed(2)}:1`);
      }
    }
  assert.ok(checked > 40, `only ${checked} pairs checked: the parser lost the stylesheet`);
  assert.deepEqual(failures, []);
});

test('no text is faded by opacity', async () => {
  const rules = rulesOf(await readFile(CSS, 'utf8'));
  const faded = rules
    .filter((r) => r.declarations.opacity !== undefined && Number(r.declarations.opacity) < 1)
    .flatMap((r) => r.selectors)
    .filter((s) => !/:disabled$|^\.tile/.test(s));
  assert.deepEqual(faded, []);
});
