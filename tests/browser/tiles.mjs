// What the tile tests share: the tiles' colors, Web Mercator as the tile scheme defines it, and a
// folder of tiles over Los Angeles. The projection is written here again on purpose: the tests
// check the page's map against it, not against itself.

import { mkdir, writeFile } from 'node:fs/promises';

import { solidPng } from './png.mjs';

// A checkerboard of two colors, so a tile is told from its neighbours on screen.
export const COLORS = [
  [40, 160, 60],
  [40, 90, 200],
];
export const tileColor = (z, x, y) => COLORS[(x + y) % 2];

export const worldX = (lon) => (lon + 180) / 360;
export function worldY(lat) {
  const phi = (lat * Math.PI) / 180;
  return (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
}

// The tile of zoom z that holds (lat, lon).
export const tileAt = (z, lat, lon) => [Math.floor(worldX(lon) * 2 ** z), Math.floor(worldY(lat) * 2 ** z)];

// Well around the city's neighborhoods (west, south, east, north): a map box wider or taller
// than the city still finds a tile everywhere it looks.
export const LA_AREA = [-119.6, 33.1, -117.2, 34.9];

// <dir>/<z>/<x>/<y>.png for every zoom up to maxZoom over `area`. Returns how many.
export async function writeTiles(dir, [west, south, east, north], maxZoom) {
  let count = 0;
  const pngs = new Map(); // color -> its tile, made once
  const png = (color) => pngs.get(color) || pngs.set(color, solidPng(color)).get(color);
  for (let z = 0; z <= maxZoom; z++) {
    const [x0, y0] = tileAt(z, north, west);
    const [x1, y1] = tileAt(z, south, east);
    for (let x = x0; x <= x1; x++) {
      await mkdir(`${dir}/${z}/${x}`, { recursive: true });
      for (let y = y0; y <= y1; y++, count++) await writeFile(`${dir}/${z}/${x}/${y}.png`, png(tileColor(z, x, y)));
    }
  }
  return count;
}
