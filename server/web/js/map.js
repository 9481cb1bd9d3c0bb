// The neighborhoods as an SVG map, drawn here from GET /v1/neighborhoods/map (GeoJSON): no
// tile server, nothing fetched from anywhere else. The projection is equirectangular with the
// longitude scaled by cos(middle latitude), fitted to the bounding box: at city scale that is
// true to shape within a fraction of a percent. Markers sit on it; a click can pick a spot.

import { get } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 1000; // viewBox units across the whole map

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

let cached = null;
export function loadNeighborhoodMap() {
  cached ||= get('/v1/neighborhoods/map');
  return cached;
}

export class NeighborhoodMap {
  // onPick({lat, lon}) on a click on the map; onSelect(id) on a click on a marker.
  constructor(container, geojson, { onPick, onSelect } = {}) {
    const [minLon, minLat, maxLon, maxLat] = geojson.bbox;
    this.cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    this.scale = WIDTH / ((maxLon - minLon) * this.cos);
    this.origin = { lon: minLon, lat: maxLat };
    this.height = (maxLat - minLat) * this.scale;
    this.features = new Map(geojson.features.map((f) => [f.properties.slug, f]));

    this.root = svg('svg', { viewBox: this.fullView(), class: 'map', role: 'img' });
    this.shapes = svg('g', { class: 'hoods' });
    this.marks = svg('g', { class: 'markers' });
    this.root.append(this.shapes, this.marks);
    for (const feature of geojson.features) this.shapes.append(this.drawFeature(feature));
    container.replaceChildren(this.root);

    this.root.addEventListener('click', (event) => {
      const marker = event.target.closest('[data-incident]');
      if (marker && onSelect) return onSelect(marker.dataset.incident);
      if (onPick) onPick(this.toLatLon(event.clientX, event.clientY));
    });
  }

  fullView() {
    return `0 0 ${WIDTH} ${this.height.toFixed(0)}`;
  }

  project([lon, lat]) {
    return [(lon - this.origin.lon) * this.cos * this.scale, (this.origin.lat - lat) * this.scale];
  }

  toLatLon(clientX, clientY) {
    const point = this.root.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    const { x, y } = point.matrixTransform(this.root.getScreenCTM().inverse());
    const round = (v) => Math.round(v * 1e5) / 1e5;
    return { lat: round(this.origin.lat - y / this.scale), lon: round(this.origin.lon + x / (this.cos * this.scale)) };
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

  // markers: [{ id, lat, lon, status, label, selected }]
  setMarkers(markers) {
    this.marks.replaceChildren(
      ...markers.map((m) => {
        const [cx, cy] = this.project([m.lon, m.lat]);
        const dot = svg('circle', {
          cx: cx.toFixed(1),
          cy: cy.toFixed(1),
          r: 11,
          class: `marker status-${m.status}${m.selected ? ' selected' : ''}`,
          'data-incident': m.id,
        });
        const title = svg('title');
        title.textContent = m.label;
        dot.append(title);
        return dot;
      }),
    );
  }

  // The spot an operator picked.
  setPin(where) {
    this.root.querySelector('.pin')?.remove();
    if (!where) return;
    const [cx, cy] = this.project([where.lon, where.lat]);
    this.root.append(svg('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r: 9, class: 'pin' }));
  }

  zoomed() {
    return this.root.getAttribute('viewBox') !== this.fullView();
  }

  // Zooms to one neighborhood (with a margin), or back to the whole map with no slug.
  focus(slug) {
    const feature = slug && this.features.get(slug);
    if (!feature) return this.root.setAttribute('viewBox', this.fullView());
    const points = feature.geometry.coordinates.flat(2).map((p) => this.project(p));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const margin = Math.max(x1 - x0, y1 - y0) * 0.4;
    this.root.setAttribute('viewBox', `${x0 - margin} ${y0 - margin} ${x1 - x0 + 2 * margin} ${y1 - y0 + 2 * margin}`);
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
