// Raster tiles under the neighborhoods map, when the network configured some (GET
// /v1/neighborhoods/map/tiles; server/app/maps/map_tiles.hpp). Tiles are Web Mercator, 256 px,
// numbered z/x/y as OpenStreetMap's; map.js draws its shapes in the same world coordinates, so
// each tile is an SVG <image> set at its own corners in the map's units. The zoom is the one
// whose tiles show at about their own size on screen, at most the configured maximum (deeper,
// the last tiles are enlarged); only the tiles in sight are drawn, again when the view
// (map.focus) or the map's size changes. The browser keeps the tiles it fetched.

import { svg } from './dom.js';

const TILE_PX = 256;
// A view cannot need more: tiles of at least 181 px over a 4K screen. Past it something is wrong
// (a map of size 0, say) and nothing is asked for.
const MAX_TILES = 500;

export class TileLayer {
  // world: { x0, y0, scale }: map units = (world coordinate - x0 or y0) * scale, where the
  // world is [0, 1) across and down.
  constructor(root, world, { urlTemplate, maxZoom = 0 }) {
    this.root = root;
    this.world = world;
    this.template = urlTemplate;
    this.maxZoom = maxZoom;
    this.group = svg('g', { class: 'tiles' });
    this.images = new Map(); // "z/x/y" -> <image>, those drawn now
    new ResizeObserver(() => this.draw()).observe(root);
  }

  url(z, x, y) {
    return this.template.replaceAll('{z}', z).replaceAll('{x}', x).replaceAll('{y}', y);
  }

  // What the <svg> box shows, in map units: more than the viewBox when their shapes differ.
  inSight() {
    const box = this.root.getBoundingClientRect();
    const ctm = this.root.getScreenCTM();
    if (!ctm || box.width === 0 || box.height === 0) return null;
    const inverse = ctm.inverse();
    const topLeft = new DOMPoint(box.left, box.top).matrixTransform(inverse);
    const bottomRight = new DOMPoint(box.right, box.bottom).matrixTransform(inverse);
    return { left: topLeft.x, top: topLeft.y, right: bottomRight.x, bottom: bottomRight.y, pxPerUnit: ctm.a };
  }

  draw() {
    const sight = this.inSight();
    if (!sight) return;
    const { x0, y0, scale } = this.world;
    // The whole world at this view would be worldPx screen pixels across.
    const worldPx = scale * sight.pxPerUnit;
    const z = Math.max(0, Math.min(this.maxZoom, Math.round(Math.log2(worldPx / TILE_PX))));
    const n = 2 ** z;
    const index = (units, origin) => Math.max(0, Math.min(n - 1, Math.floor((units / scale + origin) * n)));
    const [left, right] = [index(sight.left, x0), index(sight.right, x0)];
    const [top, bottom] = [index(sight.top, y0), index(sight.bottom, y0)];
    if ((right - left + 1) * (bottom - top + 1) > MAX_TILES) return;

    // Half a screen pixel of overlap hides the hairline seams antialiasing leaves between tiles.
    const overlap = 0.5 / sight.pxPerUnit;
    const drawn = new Map();
    for (let y = top; y <= bottom; y++)
      for (let x = left; x <= right; x++) {
        const key = `${z}/${x}/${y}`;
        drawn.set(key, this.images.get(key) || this.tile(z, x, y, overlap));
      }
    this.images = drawn;
    this.group.replaceChildren(...drawn.values());
  }

  tile(z, x, y, overlap) {
    const { x0, y0, scale } = this.world;
    const n = 2 ** z;
    const size = scale / n;
    const image = svg('image', {
      href: this.url(z, x, y),
      x: (x / n - x0) * scale,
      y: (y / n - y0) * scale,
      width: size + overlap,
      height: size + overlap,
      preserveAspectRatio: 'none',
      class: 'tile',
      'data-tile': `${z}/${x}/${y}`,
    });
    // Shown once loaded: a tile that fails leaves the plain background, not a broken image.
    image.addEventListener('load', () => image.classList.add('loaded'), { once: true });
    return image;
  }
}
