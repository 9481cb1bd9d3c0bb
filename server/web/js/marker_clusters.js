// Markers that would overlap on screen, gathered into one count marker (issue 20): a pure
// function of where the markers are, in map units, and how near is too near at the map's
// present zoom. No DOM, so Node tests it alone (tests/browser/marker_clusters.test.mjs).
//
// Greedy and stable: the most urgent marker (confirmed, then reported, then closed; by id
// within a status) seeds a group, which takes every marker not yet taken within `radius` of it;
// then the next untaken marker seeds the next. A group of one is drawn as the marker itself. The
// group stands where its members' centre is, and shows the most urgent member's status.

const URGENCY = { CONFIRMED: 0, REPORTED: 1, FALSE_ALARM: 2, RESOLVED: 3 };
const urgency = (status) => URGENCY[status] ?? 1;

// markers: [{ id, x, y, status, selected? }]; radius in the same units as x and y.
// Answers [{ members: [marker, ...], x, y, status, selected }], the most urgent group first.
export function clusterMarkers(markers, radius) {
  const order = [...markers].sort((a, b) => urgency(a.status) - urgency(b.status) || String(a.id).localeCompare(String(b.id)));
  const taken = new Set();
  const groups = [];
  for (const seed of order) {
    if (taken.has(seed)) continue;
    const members = order.filter((m) => !taken.has(m) && Math.hypot(m.x - seed.x, m.y - seed.y) <= radius);
    for (const m of members) taken.add(m);
    groups.push({
      members,
      x: members.reduce((sum, m) => sum + m.x, 0) / members.length,
      y: members.reduce((sum, m) => sum + m.y, 0) / members.length,
      status: seed.status,
      selected: members.some((m) => m.selected),
    });
  }
  return groups;
}

// The box (map units) that shows every member of a group with a margin: where a click on a
// count marker zooms to, so its members part.
export function boundsOf(members, margin) {
  const xs = members.map((m) => m.x);
  const ys = members.map((m) => m.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return { x: x0 - margin, y: y0 - margin, w: x1 - x0 + 2 * margin, h: y1 - y0 + 2 * margin };
}
