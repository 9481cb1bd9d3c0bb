// The enum names the pages spell (server/web/js/kinds.js, the words in i18n/<lang>.json, and any
// other all-capital name in the pages' code) against the wire contract, proto/puente/v1/*.proto:
// a value added, renamed or removed on one side and not the other fails here. The pages have no
// build step, so they cannot be generated from the proto; this check is what keeps them in step.
// Node alone (no browser, no puented): run by ctest as PagesNamesMatchProto (tests/CMakeLists.txt).

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';

import { webModule } from './web_modules.mjs';

const ROOT = new URL('../../', import.meta.url);
const WEB = new URL('server/web/', ROOT);
const PROTO = new URL('proto/puente/v1/', ROOT);

// enum name -> its values in declaration order, the *_UNSPECIFIED zero left out (the wire never
// carries it: proto3 JSON omits a zero).
async function protoEnums() {
  const enums = new Map();
  for (const file of (await readdir(PROTO)).filter((f) => f.endsWith('.proto'))) {
    const source = (await readFile(new URL(file, PROTO), 'utf8')).replace(/\/\/.*$/gm, '');
    for (const [, name, body] of source.matchAll(/\benum\s+(\w+)\s*\{([^}]*)\}/g)) {
      const values = [...body.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=\s*\d+\s*;/g)].map((m) => m[1]);
      enums.set(name, values.filter((v) => !v.endsWith('_UNSPECIFIED')));
    }
  }
  return enums;
}

// Which proto enum each i18n prefix names, and which kinds.js list draws from which enum.
const WORDS = { kind: 'ReportKind', status: 'IncidentStatus', alertType: 'AlertType', ack: 'AckState' };
const LISTS = { REPORT_KINDS: 'ReportKind', OPEN_STATUSES: 'IncidentStatus', CLOSING_ALERTS: 'AlertType', FIELD_ACKS: 'AckState' };

test('the proto declares the enums the pages use', async () => {
  const enums = await protoEnums();
  for (const name of new Set([...Object.values(WORDS), ...Object.values(LISTS)]))
    assert.ok(enums.get(name)?.length, `proto/puente/v1 has no enum ${name} (or it is empty)`);
});

test("kinds.js lists only the proto's names, and the intake offers every report kind", async () => {
  const enums = await protoEnums();
  const kinds = await webModule('kinds');
  for (const [list, name] of Object.entries(LISTS)) {
    assert.ok(Array.isArray(kinds[list]), `kinds.js exports no list ${list}`);
    for (const value of kinds[list]) assert.ok(enums.get(name).includes(value), `kinds.js ${list} has ${value}, which ${name} does not`);
  }
  assert.deepEqual([...kinds.REPORT_KINDS].sort(), [...enums.get('ReportKind')].sort(),
                   'kinds.js REPORT_KINDS (what the intake offers) is every ReportKind');
});

test('each language has words for every value of each enum the pages show, and none for a value the proto lacks', async () => {
  const enums = await protoEnums();
  for (const file of (await readdir(new URL('i18n/', WEB))).filter((f) => f.endsWith('.json'))) {
    const strings = JSON.parse(await readFile(new URL(`i18n/${file}`, WEB), 'utf8'));
    for (const [prefix, name] of Object.entries(WORDS)) {
      const worded = Object.keys(strings).filter((k) => k.startsWith(`${prefix}.`)).map((k) => k.slice(prefix.length + 1));
      assert.deepEqual(worded.sort(), [...enums.get(name)].sort(), `i18n/${file}: the "${prefix}.*" words against ${name}`);
    }
  }
});

test("every all-capital name in the pages' code and markup is a value of a proto enum", async () => {
  const values = new Set([...(await protoEnums()).values()].flat());
  // fetch's methods and String.normalize's form (intake_input.js), not the wire's names
  const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'NFD']);
  const unknown = [];
  const spelled = [
    ['js', /'([A-Z][A-Z0-9_]+)'/g], // 'CONFIRMED' in code
    ['', /\b(?:status|type|kind|ack)-([A-Z][A-Z0-9_]+)\b/g], // class="status-REPORTED" in markup
  ];
  for (const file of await readdir(WEB, { recursive: true })) {
    if (!/\.(js|html)$/.test(file)) continue;
    const source = await readFile(new URL(file, WEB), 'utf8');
    for (const [only, pattern] of spelled) {
      if (only && !file.endsWith(`.${only}`)) continue;
      for (const [, name] of source.matchAll(pattern))
        if (!values.has(name) && !HTTP_METHODS.has(name)) unknown.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(unknown, [], 'names no proto enum has');
});
