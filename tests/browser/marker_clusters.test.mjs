// Markers that would overlap gather into one count marker (server/web/js/marker_clusters.js,
// issue 20): by distance at the map's zoom, the most urgent first, and part when zoomed in.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { webModule } from './web_modules.mjs';

const { boundsOf, clusterMarkers } = await webModule('marker_clusters');

const markers = [
  { id: 'a', x: 100, y: 100, status: 'REPORTED' },
  { id: 'b', x: 110, y: 100, status: 'CONFIRMED', selected: true },
  { id: 'c', x: 100, y: 115, status: 'RESOLVED' },
  { id: 'd', x: 400, y: 400, status: 'REPORTED' },
];

test('markers within the radius of the most urgent are one group, where their centre is', () => {
  const groups = clusterMarkers(markers, 26);
  assert.equal(groups.length, 2);
  const [near, alone] = groups;
  assert.deepEqual(near.members.map((m) => m.id), ['b', 'a', 'c']);
  assert.equal(near.status, 'CONFIRMED');
  assert.equal(near.selected, true);
  assert.equal(near.x, 310 / 3);
  assert.equal(near.y, 105);
  assert.deepEqual(alone.members.map((m) => m.id), ['d']);
  assert.equal(alone.selected, false);
});

test('zoomed in (a smaller radius in map units) the group parts; nothing is lost or doubled', () => {
  for (const radius of [0, 5, 12, 26, 1000]) {
    const groups = clusterMarkers(markers, radius);
    const ids = groups.flatMap((g) => g.members.map((m) => m.id)).sort();
    assert.deepEqual(ids, ['a', 'b', 'c', 'd'], `radius ${radius}`);
  }
  assert.equal(clusterMarkers(markers, 5).length, 4);
  assert.equal(clusterMarkers(markers, 12).length, 3); // a and b; c and d alone
  assert.equal(clusterMarkers(markers, 1000).length, 1);
  assert.deepEqual(clusterMarkers([], 26), []);
});

test('a group zooms to a box around all its members', () => {
  assert.deepEqual(boundsOf(markers.slice(0, 3), 10), { x: 90, y: 90, w: 30, h: 35 });
});
