// The neighborhoods as an SVG map, drawn here from GET /v1/neighborhoods/map (GeoJSON) in Web
// Mercator, fitted to the bounding box: true to shape, and the projection of map tiles. A
// network may configure raster tiles (GET /v1/neighborhoods/map/tiles, [web] tiles_* in the
// node's config); they are drawn under the shapes by tile_layer.js, lined up because both use
// the same world coordinates. Without tiles the map fetches the outlines and the (empty) tile
// settings from this node, and nothing else. Markers sit on the map; a click can pick a spot.
// With tiles the map also zooms and pans (map_navigation.js), and markers that would overlap at
// the present zoom gather into a count marker (marker_clusters.js) that a click zooms into.
// Markers keep their size on screen at every zoom.

import { get } from './api.js';
import { replaceKeepingFocus, svg } from './dom.js';
import { setText, t } from './i18n.js';
import { startNavigation } from './map_navigation.js';
import { boundsOf, clusterMarkers } from './marker_clusters.js';
import { TileLayer } from './tile_layer.js';

const WIDTH = 1000; // viewBox units across the whole map
// The deepest zoom: 1/256 of the whole map across (for Los Angeles City, about 200 m).
const MIN_VIEW_WIDTH = WIDTH / 256;

// Each status a marker of its own shape and sign, not only its colour (issue 20: WCAG 1.4.1):
// reported a diamond with "?", confirmed a circle with "!", false alarm a square with "×",
// resolved a circle with "✓". Sizes in viewBox units.
const MARKER_SHAPES = {
  REPORTED: { shape: 'diamond', sign: '?' },
  CONFIRMED: { shape: 'circle', sign: '!' },
  FALSE_ALARM: { shape: 'square', sign: '×' },
  RESOLVED: { shape: 'circle', sign: '✓' },
};
const MARKER_R = 13;

function markerShape(shape, cx, cy, r) {
  if (shape === 'diamond') return svg('polygon', { points: `${cx},${cy - r * 1.3} ${cx + r * 1.3},${cy} ${cx},${cy + r * 1.3} ${cx - r * 1.3},${cy}`, class: 'marker-shape' });
  if (shape === 'square') return svg('rect', { x: cx - r, y: cy - r, width: 2 * r, height: 2 * r, class: 'marker-shape' });
  return svg('circle', { cx, cy, r, class: 'marker-shape' });
}

// A marker's sign, at the size puente.css gives it (17 units) times the zoom's scale. Set
// through the style object: the pages' policy allows no style attribute in markup.
function signText(cx, cy, scale) {
  const text = svg('text', { x: cx, y: cy, class: 'marker-sign', 'text-anchor': 'middle', 'dominant-baseline': 'central', 'aria-hidden': 'true' });
  if (scale !== 1) text.style.fontSize = `${(17 * scale).toFixed(3)}px`;
  return text;
}

// Web Mercator world coordinates: the whole world is [0, 1) across and down, north at 0.
const RADIANS = Math.PI / 180;
const worldX = (lon) => (lon + 180) / 360;
const worldY = (lat) => 0.5 - Math.log(Math.tan(Math.PI / 4 + (lat * RADIANS) / 2)) / (2 * Math.PI);
const lonOf = (x) => x * 360 - 180;
const latOf = (y) => Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) / RADIANS;

export class NeighborhoodMap {
  // The outlines and the tile settings from the node, drawn into `container`.
  static async load(container, options = {}) {
    const [geojson, tiles] = await Promise.all([get('/v1/neighborhoods/map'), get('/v1/neighborhoods/map/tiles')]);
    return new NeighborhoodMap(container, geojson, { ...options, tiles });
  }

  // onPick({lat, lon}) on a click on the map; onSelect(id) on a click on a marker; tiles: a
  // v1.MapTiles ({urlTemplate, attribution, maxZoom}), none without a urlTemplate.
  constructor(container, geojson, { onPick, onSelect, tiles } = {}) {
    const [minLon, minLat, maxLon, maxLat] = geojson.bbox;
    // Map units = (world coordinate - x0 or y0) * scale.
    this.world = { x0: worldX(minLon), y0: worldY(maxLat) };
    this.world.scale = WIDTH / (worldX(maxLon) - this.world.x0);
    this.height = (worldY(minLat) - this.world.y0) * this.world.scale;
    this.features = new Map(geojson.features.map((f) => [f.properties.slug, f]));
    this.full = { x: 0, y: 0, w: WIDTH, h: this.height };
    this.view = { ...this.full }; // what the viewBox shows, in map units
    this.markerData = []; // as last set (setMarkers)
    this.pin = null;

    // A group, not an image: its markers are buttons (an image's children are not reachable).
    this.root = svg('svg', { viewBox: this.fullView(), class: 'map', role: 'group', 'aria-label': t('map.label'), 'data-i18n-aria-label': 'map.label' });
    this.shapes = svg('g', { class: 'hoods' });
    this.marks = svg('g', { class: 'markers' });
    this.root.append(this.shapes, this.marks);
    for (const feature of geojson.features) this.shapes.append(this.drawFeature(feature));
    container.replaceChildren(this.root);
    if (tiles?.urlTemplate) {
      this.addTiles(container, tiles);
      this.navigable = true; // zoom, pan and clusters: with a base map to move over
      startNavigation(this, container);
    }

    this.root.addEventListener('click', (event) => {
      const cluster = event.target.closest('[data-cluster]');
      if (cluster) return this.expand(cluster);
      const marker = event.target.closest('[data-incident]');
      if (marker && onSelect) return onSelect(marker.dataset.incident);
      if (onPick) onPick(this.toLatLon(event.clientX, event.clientY));
    });
    // Markers are buttons to a keyboard too: Tab reaches them, Enter or Space opens one.
    this.root.addEventListener('keydown', (event) => {
      const cluster = event.target.closest?.('[data-cluster]');
      if (cluster && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        return this.expand(cluster);
      }
      const marker = event.target.closest?.('[data-incident]');
      if (!marker || !onSelect || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      onSelect(marker.dataset.incident);
    });
  }

  fullView() {
    return `0 0 ${WIDTH} ${this.height.toFixed(0)}`;
  }

  // Tiles first in the SVG, so the shapes and markers are painted over them; their credit in
  // a corner of the box.
  addTiles(container, tiles) {
    this.tiles = new TileLayer(this.root, this.world, tiles);
    this.root.prepend(this.tiles.group);
    this.root.classList.add('with-tiles');
    if (!tiles.attribution) return;
    const credit = document.createElement('p');
    credit.className = 'map-credit';
    setText(credit, 'map.tilesCredit', { attribution: tiles.attribution });
    container.append(credit);
  }

  project([lon, lat]) {
    const { x0, y0, scale } = this.world;
    return [(worldX(lon) - x0) * scale, (worldY(lat) - y0) * scale];
  }

  toLatLon(clientX, clientY) {
    const point = new DOMPoint(clientX, clientY).matrixTransform(this.root.getScreenCTM().inverse());
    const { x0, y0, scale } = this.world;
    const round = (v) => Math.round(v * 1e5) / 1e5;
    return { lat: round(latOf(point.y / scale + y0)), lon: round(lonOf(point.x / scale + x0)) };
  }

  drawFeature(feature) {
    const d = feature.geometry.coordinates
      .flat()
      .map((ring) => 'M' + ring.map((p) => this.project(p).map((v) => v.toFixed(1)).join(',')).join('L') + 'Z')
      .join('');
    const path = svg('path', { d, class: 'hood', 'data-slug': feature.properties.slug });
    const title = svg('title');
    title.textContent = feature.properties.name;
    path.append(title);
    return path;
  }

  name(slug) {
    return this.features.get(slug)?.properties.name || slug;
  }

  // Marks the neighborhoods in `slugs` (a Set) as active.
  highlight(slugs) {
    for (const path of this.shapes.children) path.classList.toggle('active', slugs.has(path.dataset.slug));
  }

  // markers: [{ id, lat, lon, status, label, selected }]. Redrawn whole; the marker that had
  // the keyboard's focus keeps it.
  setMarkers(markers) {
    this.markerData = markers;
    this.drawMarkers();
  }

  // How many map units a marker's unit is at the present zoom: markers keep their screen size.
  markerScale() {
    return this.view.w / WIDTH;
  }

  drawMarkers() {
    const scale = this.markerScale();
    const placed = this.markerData.map((m) => {
      const [x, y] = this.project([m.lon, m.lat]);
      return { ...m, x, y };
    });
    // Overlapping markers gather, except at the deepest zoom, where nothing would part them.
    const gather = this.navigable && this.view.w > MIN_VIEW_WIDTH * 1.01;
    const groups = gather ? clusterMarkers(placed, 2 * MARKER_R * scale) : placed.map((m) => ({ members: [m], ...m }));
    replaceKeepingFocus(this.marks, groups.map((g) => (g.members.length > 1 ? this.clusterMarker(g, scale) : this.marker(g.members[0], scale))), 'incident');
  }

  marker(m, scale = this.markerScale()) {
    const [cx, cy] = [Number(m.x.toFixed(2)), Number(m.y.toFixed(2))];
    const { shape, sign } = MARKER_SHAPES[m.status] || MARKER_SHAPES.REPORTED;
    const group = svg('g', {
      class: `marker status-${m.status} shape-${shape}${m.selected ? ' selected' : ''}`,
      'data-incident': m.id,
      tabindex: 0,
      role: 'button',
      'aria-label': m.label,
      'aria-pressed': String(Boolean(m.selected)),
    });
    const letter = signText(cx, cy, scale);
    letter.textContent = sign;
    const title = svg('title');
    title.textContent = m.label;
    group.append(markerShape(shape, cx, cy, MARKER_R * scale), letter, title);
    return group;
  }

  // Several incidents too near to tell apart at this zoom: a circle with their count, in the
  // most urgent one's colour; a click (or Enter) zooms in until they part.
  clusterMarker(g, scale) {
    const [cx, cy] = [Number(g.x.toFixed(2)), Number(g.y.toFixed(2))];
    const count = g.members.length;
    const label = t('map.cluster', { count });
    const group = svg('g', {
      class: `marker marker-cluster status-${g.status}${g.selected ? ' selected' : ''}`,
      'data-cluster': g.members.map((m) => m.id).join(' '),
      'data-count': count,
      tabindex: 0,
      role: 'button',
      'aria-label': label,
    });
    const number = signText(cx, cy, scale);
    number.textContent = String(count);
    const title = svg('title');
    title.textContent = label;
    group.append(svg('circle', { cx, cy, r: MARKER_R * 1.35 * scale, class: 'marker-shape' }), number, title);
    return group;
  }

  // Zooms into a count marker's incidents (at least twice as deep), then gives the keyboard's
  // focus to the first of them, or to the smaller group that still holds it.
  expand(cluster) {
    const ids = cluster.dataset.cluster.split(' ');
    const members = this.markerData.filter((m) => ids.includes(m.id)).map((m) => {
      const [x, y] = this.project([m.lon, m.lat]);
      return { x, y };
    });
    if (!members.length) return;
    const box = boundsOf(members, 3 * MARKER_R * this.markerScale());
    const aspect = this.view.w / this.view.h;
    const w = Math.min(Math.max(box.w, box.h * aspect), this.view.w / 2);
    const h = w / aspect;
    const refocus = this.marks.contains(document.activeElement);
    this.setView({ x: box.x + box.w / 2 - w / 2, y: box.y + box.h / 2 - h / 2, w, h });
    if (!refocus) return;
    const first = CSS.escape(ids[0]);
    (this.marks.querySelector(`[data-incident="${first}"]`) || [...this.marks.querySelectorAll('[data-cluster]')].find((c) => c.dataset.cluster.split(' ').includes(ids[0])))?.focus();
  }

  // The spot an operator picked.
  setPin(where) {
    this.pin = where;
    this.drawPin();
  }

  drawPin() {
    this.root.querySelector('.pin')?.remove();
    if (!this.pin) return;
    const [cx, cy] = this.project([this.pin.lon, this.pin.lat]);
    this.root.append(svg('circle', { cx: cx.toFixed(2), cy: cy.toFixed(2), r: (9 * this.markerScale()).toFixed(3), class: 'pin' }));
  }

  // Shows `view` ({ x, y, w, h } in map units), kept between the deepest zoom and the whole
  // map and with its centre on the map, and redraws what depends on the zoom.
  setView({ x, y, w, h }) {
    const aspect = w / h;
    const width = Math.min(Math.max(w, MIN_VIEW_WIDTH), this.full.w);
    const height = width / aspect;
    const clamp = (v, low, high) => Math.min(Math.max(v, low), high);
    const cx = clamp(x + w / 2, 0, this.full.w);
    const cy = clamp(y + h / 2, 0, this.full.h);
    const whole = width >= this.full.w - 1e-6;
    this.view = whole ? { ...this.full } : { x: cx - width / 2, y: cy - height / 2, w: width, h: height };
    const v = this.view;
    this.root.setAttribute('viewBox', whole ? this.fullView() : `${v.x} ${v.y} ${v.w} ${v.h}`);
    this.tiles?.draw();
    this.drawMarkers();
    this.drawPin();
  }

  // Zooms by `factor` (below 1: in) keeping the point `at` (map units; default the centre) in
  // its place on screen.
  zoomBy(factor, at = { x: this.view.x + this.view.w / 2, y: this.view.y + this.view.h / 2 }) {
    const v = this.view;
    this.setView({ x: at.x - (at.x - v.x) * factor, y: at.y - (at.y - v.y) * factor, w: v.w * factor, h: v.h * factor });
  }

  panBy(dx, dy) {
    const v = this.view;
    this.setView({ ...v, x: v.x + dx, y: v.y + dy });
  }

  zoomed() {
    return this.view.w < this.full.w - 1e-6 || this.root.getAttribute('viewBox') !== this.fullView();
  }

  // Zooms to one neighborhood (with a margin), or back to the whole map with no slug.
  focus(slug) {
    this.setView(this.boxOf(slug));
  }

  boxOf(slug) {
    const feature = slug && this.features.get(slug);
    if (!feature) return { ...this.full };
    const points = feature.geometry.coordinates.flat(2).map((p) => this.project(p));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const margin = Math.max(x1 - x0, y1 - y0) * 0.4;
    return { x: x0 - margin, y: y0 - margin, w: x1 - x0 + 2 * margin, h: y1 - y0 + 2 * margin };
  }

  // A point inside the neighborhood (its polygon's widest span across the middle latitude),
  // for an operator who names the place instead of pointing at it.
  interiorPoint(slug) {
    const feature = this.features.get(slug);
    if (!feature) return null;
    const polygons = feature.geometry.coordinates;
    const largest = polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    const lats = largest[0].map((p) => p[1]);
    const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
    const crossings = [];
    for (const ring of largest)
      for (let i = 1; i < ring.length; i++) {
        const [[x0, y0], [x1, y1]] = [ring[i - 1], ring[i]];
        if ((y0 <= lat) !== (y1 <= lat)) crossings.push(x0 + ((lat - y0) / (y1 - y0)) * (x1 - x0));
      }
    crossings.sort((a, b) => a - b);
    let best = null;
    for (let i = 0; i + 1 < crossings.length; i += 2)
      if (!best || crossings[i + 1] - crossings[i] > best[1] - best[0]) best = [crossings[i], crossings[i + 1]];
    const lon = best ? (best[0] + best[1]) / 2 : largest[0][0][0];
    const round = (v) => Math.round(v * 1e5) / 1e5;
    return { lat: round(lat), lon: round(lon) };
  }

  slugs() {
    return [...this.features.keys()];
  }
}
