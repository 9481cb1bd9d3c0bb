// The observer app's icons (server/web/icons/*.png, named in server/web/manifest.webmanifest),
// drawn here from a few shapes so they can be made again exactly: a white bridge (puente) on
// the pages' brand red. `node tests/browser/app_icons.mjs` writes them; app_icons.test.mjs
// (ctest PagesAppIcons) fails when a committed icon's pixels differ from what this draws.
//
//   icon-192.png, icon-512.png  purpose "any": a rounded square, transparent corners
//   maskable-512.png            purpose "maskable": full bleed, the bridge inside the safe zone
//                               (the middle circle of 80% diameter a launcher may cut to)
//   apple-touch-icon.png (180)  iOS: opaque (iOS shows transparency as black) and full bleed

import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { rgbaPng } from './png.mjs';

const BRAND = [0x7a, 0x1f, 0x1f]; // --brand in server/web/css/puente.css, the manifest's theme
const WHITE = [0xff, 0xff, 0xff];
const SAMPLES = 4; // 4 x 4 samples a pixel: smooth edges

// The bridge in a unit square (x right, y down): an arch, the deck across it, hangers from the
// arch to the deck, and the water line.
function onBridge(x, y) {
  const r = Math.hypot(x - 0.5, y - 0.7);
  const arch = y <= 0.7 && r >= 0.33 && r <= 0.41;
  const deck = y >= 0.48 && y <= 0.54 && x >= 0.04 && x <= 0.96;
  const hanger = y < 0.48 && r < 0.33 && [0.35, 0.5, 0.65].some((h) => Math.abs(x - h) <= 0.018);
  const water = y >= 0.78 && y <= 0.82 && x >= 0.1 && x <= 0.9;
  return arch || deck || hanger || water;
}

// Inside a square of side 1 with corners rounded to `radius`.
function inRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

// Each icon: the fraction of its side the bridge spans (centred), and its outline.
export const ICONS = {
  'icon-192.png': { size: 192, bridge: 0.78, corner: 0.18 },
  'icon-512.png': { size: 512, bridge: 0.78, corner: 0.18 },
  'maskable-512.png': { size: 512, bridge: 0.56, corner: 0 },
  'apple-touch-icon.png': { size: 180, bridge: 0.72, corner: 0 },
};

// [r, g, b, a] of pixel (px, py) of an icon.
export function iconPixel({ size, bridge, corner }, px, py) {
  let inside = 0;
  let white = 0;
  for (let sy = 0; sy < SAMPLES; sy++)
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = (px + (sx + 0.5) / SAMPLES) / size;
      const y = (py + (sy + 0.5) / SAMPLES) / size;
      if (corner && !inRoundedSquare(x, y, corner)) continue;
      inside++;
      if (onBridge((x - 0.5) / bridge + 0.5, (y - 0.5) / bridge + 0.5)) white++;
    }
  if (!inside) return [0, 0, 0, 0];
  const share = white / inside;
  const rgb = BRAND.map((c, i) => Math.round(c + (WHITE[i] - c) * share));
  return [...rgb, Math.round((255 * inside) / (SAMPLES * SAMPLES))];
}

export const drawIcon = (icon) => rgbaPng(icon.size, icon.size, (x, y) => iconPixel(icon, x, y));

export const ICON_DIR = new URL('../../server/web/icons/', import.meta.url);

if (process.argv[1] === fileURLToPath(import.meta.url))
  for (const [file, icon] of Object.entries(ICONS)) {
    await writeFile(new URL(file, ICON_DIR), drawIcon(icon));
    console.log(`wrote server/web/icons/${file}`);
  }
