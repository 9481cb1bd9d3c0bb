// The committed app icons (server/web/icons/*.png) are what app_icons.mjs draws, pixel for
// pixel, at the size their name and the manifest say: an icon edited by hand, or a drawing
// changed without writing the files again, fails here. Pixels are compared, not bytes: another
// zlib may compress the same pixels differently. Node alone: ctest PagesAppIcons.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';

import { ICONS, ICON_DIR, iconPixel } from './app_icons.mjs';
import { pngSize } from './png.mjs';

// The RGBA pixels of an 8-bit RGBA PNG whose rows are all filter 0 (as rgbaPng writes them).
function pixelsOf(png) {
  const idat = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  assert.equal(png[25], 6, 'color type RGBA');
  return inflateSync(Buffer.concat(idat));
}

test('each icon in server/web/icons is the one app_icons.mjs draws', async () => {
  for (const [file, icon] of Object.entries(ICONS)) {
    const png = await readFile(new URL(file, ICON_DIR));
    assert.deepEqual(pngSize(png), { width: icon.size, height: icon.size }, file);
    const raw = pixelsOf(png);
    const row = 1 + 4 * icon.size;
    let differing = 0;
    for (let y = 0; y < icon.size; y++) {
      assert.equal(raw[y * row], 0, `${file}: row ${y} filter`);
      for (let x = 0; x < icon.size; x++) {
        const at = y * row + 1 + 4 * x;
        if (!iconPixel(icon, x, y).every((c, i) => raw[at + i] === c)) differing++;
      }
    }
    assert.equal(differing, 0, `${file}: pixels that differ from the drawing (run node tests/browser/app_icons.mjs)`);
  }
});

test('the manifest names every icon with its size and purpose, and the maskable one is opaque', async () => {
  const manifest = JSON.parse(await readFile(new URL('../manifest.webmanifest', ICON_DIR), 'utf8'));
  const named = Object.fromEntries(manifest.icons.map((i) => [i.src.replace('/icons/', ''), i]));
  for (const [file, icon] of Object.entries(ICONS)) {
    if (file === 'apple-touch-icon.png') continue; // named by observer.html's <link rel="apple-touch-icon">
    assert.ok(named[file], `manifest.webmanifest names ${file}`);
    assert.equal(named[file].sizes, `${icon.size}x${icon.size}`, file);
    assert.equal(named[file].type, 'image/png', file);
    assert.equal(named[file].purpose || 'any', icon.corner ? 'any' : 'maskable', file);
  }
  const maskable = ICONS['maskable-512.png'];
  for (const [x, y] of [[0, 0], [maskable.size - 1, 0], [0, maskable.size - 1], [maskable.size - 1, maskable.size - 1]])
    assert.equal(iconPixel(maskable, x, y)[3], 255, 'a maskable icon fills its square');
});
