// What an operator types into intake, read as meant (server/web/js/intake_input.js, issue 20):
// coordinates with a decimal comma or pasted as one pair, a neighborhood's name misspelled or
// shortened, a length in the server's unit. Node alone: run by ctest as PagesIntakeInput
// (tests/CMakeLists.txt); the page itself is tested in Chromium by intake.test.mjs.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { webModule } from './web_modules.mjs';

const { exactName, folded, likelyNames, readCoordinate, readPair, utf8Bytes } = await webModule('intake_input');

const NAMES = ['Boyle Heights', 'Downtown', 'Westlake', 'Westwood', 'Echo Park', 'El Sereno', 'Lincoln Heights'];

test('one coordinate: a decimal point or comma, a sign; anything else is none', () => {
  assert.equal(readCoordinate('34.0335'), 34.0335);
  assert.equal(readCoordinate(' 34,0335 '), 34.0335);
  assert.equal(readCoordinate('-118,2110'), -118.211);
  assert.equal(readCoordinate('+34'), 34);
  for (const text of ['', 'abc', '34.03.35', '34,03,35', '34.0335 -118.2110', '--34']) assert.equal(readCoordinate(text), null, text);
});

test('a pair: by comma and blank, semicolon or blanks, with decimal points or commas, latitude or longitude first', () => {
  const bh = { lat: 34.0335, lon: -118.211 };
  for (const text of ['34.0335, -118.2110', '34.0335,-118.2110', '34.0335 -118.2110', '34.0335;-118.2110',
                      '34,0335, -118,2110', '34,0335; -118,2110', '-118.2110, 34.0335', '-118.2110,34.0335', '34.0335,-118.2110'])
    assert.deepEqual(readPair(text), bh, text);
  // A decimal comma alone is one number, not a pair; a pair off the Earth is none.
  for (const text of ['34,0335', '34.0335', '', '200, 300', 'Soto and 1st']) assert.equal(readPair(text), null, text);
});

test('a neighborhood by name: accents, case and punctuation aside', () => {
  assert.equal(folded('  César   Chávez, Ave. '), 'cesar chavez ave');
  assert.equal(exactName('boyle heights', NAMES), 'Boyle Heights');
  assert.equal(exactName('BOYLE-HEIGHTS', NAMES), 'Boyle Heights');
  assert.equal(exactName('Boyle', NAMES), null);
});

test('what a misspelled or shortened name may mean, closest first; nothing for what is no name', () => {
  assert.deepEqual(likelyNames('Boyle Hts', NAMES), ['Boyle Heights']);
  assert.deepEqual(likelyNames('Boyel Heights', NAMES), ['Boyle Heights']);
  assert.deepEqual(likelyNames('Lincoln Hts', NAMES), ['Lincoln Heights']);
  assert.deepEqual(likelyNames('west', NAMES), ['Westlake', 'Westwood']);
  assert.deepEqual(likelyNames('Heights', NAMES), ['Boyle Heights', 'Lincoln Heights']);
  assert.deepEqual(likelyNames('Nowhereville', NAMES), []);
  assert.deepEqual(likelyNames('', NAMES), []);
  assert.equal(likelyNames('e', NAMES, 2).length, 2, 'at most as many as asked');
});

test('lengths in UTF-8 bytes, as the server counts its limits', () => {
  assert.equal(utf8Bytes('Soto'), 4);
  assert.equal(utf8Bytes('César'), 6);
  assert.equal(utf8Bytes('车'), 3);
});
