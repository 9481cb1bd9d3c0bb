#include "core/neighborhood_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace puente::core {

namespace {

// About four cells an edge, at most max_side a side.
std::size_t side_for(std::size_t edges) {
  const auto root = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(edges))));
  return std::min<std::size_t>(NeighborhoodGrid::max_side, 2 * root);
}

}  // namespace

NeighborhoodGrid::NeighborhoodGrid(const std::vector<Edge>& edges, const ExactLookup& exact,
                                   unsigned side)
    : side_(side ? side : side_for(edges.size())) {
  // The box of every ring: no shape reaches outside it.
  min_x_ = min_y_ = std::numeric_limits<double>::infinity();
  max_x_ = max_y_ = -std::numeric_limits<double>::infinity();
  for (const Edge& e : edges) {
    min_x_ = std::min({min_x_, e.x0, e.x1});
    min_y_ = std::min({min_y_, e.y0, e.y1});
    max_x_ = std::max({max_x_, e.x0, e.x1});
    max_y_ = std::max({max_y_, e.y0, e.y1});
  }
  const double width = max_x_ - min_x_, height = max_y_ - min_y_;
  // No shapes (infinite bounds) or a degenerate map: nothing worth a table.
  if (side_ == 0 || !std::isfinite(width) || !std::isfinite(height) || !(width > 0) ||
      !(height > 0))
    return;
  per_x_ = side_ / width;
  per_y_ = side_ / height;
  if (!std::isfinite(per_x_) || !std::isfinite(per_y_)) return;  // a box narrower than rounding
  cells_.assign(side_ * side_, ask - 1);                         // not yet known
  mark_edges(edges);
  fill_regions(exact);
}

// Each edge is walked in steps of at most half a cell; each step's bounding box, widened by the
// margin, is marked. The steps' boxes cover the edge, so every cell the edge meets is marked.
// The margin (a millionth of a cell, and never under a few hundred times the rounding of the
// coordinates themselves) covers the rounding of a step's ends and of a point to its cell.
void NeighborhoodGrid::mark_edges(const std::vector<Edge>& edges) {
  const double cell = std::max(1.0 / per_x_, 1.0 / per_y_);
  const double magnitude =
      std::max({std::abs(min_x_), std::abs(max_x_), std::abs(min_y_), std::abs(max_y_), 1.0});
  const double margin = std::max(1e-6 * cell, 1e-12 * magnitude);
  for (const Edge& e : edges) {
    const double dx = e.x1 - e.x0, dy = e.y1 - e.y0;
    const double cells_long = std::max(std::abs(dx) * per_x_, std::abs(dy) * per_y_);
    const auto steps = static_cast<std::size_t>(std::ceil(2 * cells_long)) + 1;
    for (std::size_t s = 0; s < steps; ++s) {
      const double t0 = static_cast<double>(s) / steps, t1 = static_cast<double>(s + 1) / steps;
      const double ax = e.x0 + t0 * dx, ay = e.y0 + t0 * dy;
      const double bx = s + 1 == steps ? e.x1 : e.x0 + t1 * dx;
      const double by = s + 1 == steps ? e.y1 : e.y0 + t1 * dy;
      const std::size_t first_column = column_of(std::min(ax, bx) - margin);
      const std::size_t last_column = column_of(std::max(ax, bx) + margin);
      const std::size_t first_row = row_of(std::min(ay, by) - margin);
      const std::size_t last_row = row_of(std::max(ay, by) + margin);
      for (std::size_t r = first_row; r <= last_row; ++r)
        std::fill(cells_.begin() + static_cast<std::ptrdiff_t>(r * side_ + first_column),
                  cells_.begin() + static_cast<std::ptrdiff_t>(r * side_ + last_column + 1), ask);
    }
  }
}

// Every region of side-sharing cells no edge meets gets the exact answer at the centre of its
// first cell (see the header for why that is every point's answer in the region).
void NeighborhoodGrid::fill_regions(const ExactLookup& exact) {
  const Answer unknown = ask - 1;
  std::vector<std::size_t> pending;
  for (std::size_t start = 0; start < cells_.size(); ++start) {
    if (cells_[start] != unknown) continue;
    const double x = min_x_ + (static_cast<double>(start % side_) + 0.5) / per_x_;
    const double y = min_y_ + (static_cast<double>(start / side_) + 0.5) / per_y_;
    // The centre is well inside its cell; should rounding ever say otherwise, ask there instead.
    if (cell_of(x, y) != start) {
      cells_[start] = ask;
      continue;
    }
    const Answer answer = exact(x, y);
    cells_[start] = answer;
    pending.push_back(start);
    while (!pending.empty()) {
      const std::size_t c = pending.back();
      pending.pop_back();
      const std::size_t column = c % side_, row = c / side_;
      const auto visit = [&](std::size_t next) {
        if (cells_[next] != unknown) return;
        cells_[next] = answer;
        pending.push_back(next);
      };
      if (column > 0) visit(c - 1);
      if (column + 1 < side_) visit(c + 1);
      if (row > 0) visit(c - side_);
      if (row + 1 < side_) visit(c + side_);
    }
  }
}

double NeighborhoodGrid::known_share() const {
  if (cells_.empty()) return 0;
  const auto asking = std::count(cells_.begin(), cells_.end(), ask);
  return 1.0 - static_cast<double>(asking) / static_cast<double>(cells_.size());
}

}  // namespace puente::core
