// Zoom and pan on a map with tiles (issue 20; map.js turns it on when [web] tiles_* gives the
// map a base to move over): the wheel and the +/- buttons zoom, a drag pans, two fingers pinch,
// and from the keyboard the arrows pan and + / - zoom (the map takes the focus). A drag is not a
// click: the pick or the selection a click makes does not follow a drag.
//
// Works on the map's view (map.view, in map units) through map.setView, which keeps it inside
// the map and redraws what depends on the zoom (tiles, marker clusters).

import { el } from './dom.js';
import { t } from './i18n.js';

const WHEEL_STEP = 1.25; // one notch of a wheel
const BUTTON_STEP = 2; // one press of + or -
const PAN_STEP = 0.15; // an arrow key moves the view this part of its width or height
const DRAG_PX = 4; // a pointer that moved less than this between down and up clicked

export function startNavigation(map, container) {
  const root = map.root;
  root.setAttribute('tabindex', '0');
  root.classList.add('navigable');

  // The point under the client coordinates, in map units.
  const unitsAt = (clientX, clientY) => new DOMPoint(clientX, clientY).matrixTransform(root.getScreenCTM().inverse());
  const unitsPerPx = () => 1 / root.getScreenCTM().a;

  // "+" and "−" on the button; its name for a screen reader (and its tooltip) in the page's
  // language, kept by translate() on a change of language.
  const zoomButton = (key, factor, className) => {
    const button = el('button', { type: 'button', class: `map-zoom ${className}`, 'aria-label': t(key), title: t(key), 'data-i18n-aria-label': key, 'data-i18n-title': key }, factor < 1 ? '+' : '−');
    button.addEventListener('click', () => map.zoomBy(factor));
    return button;
  };
  const controls = el('div', { class: 'map-controls' }, zoomButton('map.zoomIn', 1 / BUTTON_STEP, 'zoom-in'), zoomButton('map.zoomOut', BUTTON_STEP, 'zoom-out'));
  container.append(controls);

  root.addEventListener('wheel', (event) => {
    event.preventDefault(); // the map zooms; the page does not scroll under it
    const at = unitsAt(event.clientX, event.clientY);
    map.zoomBy(event.deltaY > 0 ? WHEEL_STEP : 1 / WHEEL_STEP, at);
  }, { passive: false });

  // Pointers down on the map: one drags, two pinch.
  const down = new Map(); // pointerId -> { x, y } (client px) as last seen
  let moved = 0; // px moved since the first pointer went down
  root.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    down.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (down.size === 1) moved = 0;
  });
  root.addEventListener('pointermove', (event) => {
    const last = down.get(event.pointerId);
    if (!last) return;
    const now = { x: event.clientX, y: event.clientY };
    if (down.size === 1) {
      moved += Math.hypot(now.x - last.x, now.y - last.y);
      // The pointer is captured once it drags, so the drag goes on outside the map.
      if (moved >= DRAG_PX) {
        if (!root.hasPointerCapture(event.pointerId)) root.setPointerCapture(event.pointerId);
        const scale = unitsPerPx();
        map.panBy((last.x - now.x) * scale, (last.y - now.y) * scale);
      }
    } else if (down.size === 2) {
      const [other] = [...down].filter(([id]) => id !== event.pointerId).map(([, p]) => p);
      const before = Math.hypot(last.x - other.x, last.y - other.y);
      const after = Math.hypot(now.x - other.x, now.y - other.y);
      moved += DRAG_PX;
      if (before > 0 && after > 0) map.zoomBy(before / after, unitsAt((now.x + other.x) / 2, (now.y + other.y) / 2));
    }
    down.set(event.pointerId, now);
  });
  const up = (event) => down.delete(event.pointerId);
  root.addEventListener('pointerup', up);
  root.addEventListener('pointercancel', up);
  // A click that ends a drag is no click: the map's own click handler (pick, select) never
  // hears it.
  root.addEventListener('click', (event) => {
    if (moved < DRAG_PX) return;
    moved = 0;
    event.stopImmediatePropagation();
  }, { capture: true });

  const KEYS = {
    ArrowLeft: () => map.panBy(-PAN_STEP * map.view.w, 0),
    ArrowRight: () => map.panBy(PAN_STEP * map.view.w, 0),
    ArrowUp: () => map.panBy(0, -PAN_STEP * map.view.h),
    ArrowDown: () => map.panBy(0, PAN_STEP * map.view.h),
    '+': () => map.zoomBy(1 / BUTTON_STEP),
    '=': () => map.zoomBy(1 / BUTTON_STEP),
    '-': () => map.zoomBy(BUTTON_STEP),
  };
  root.addEventListener('keydown', (event) => {
    const action = KEYS[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault(); // the page does not scroll
    action();
  });
}
