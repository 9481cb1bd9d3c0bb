#pragma once
// A lookup table in front of GeoIndex::locate's polygon tests: the map's bounding box cut into
// cells, each holding the neighborhood that covers all of it (or none), or nothing known where a
// boundary comes near.
//
// Why it is exact: a cell whose closed square no boundary edge meets lies wholly inside or wholly
// outside each neighborhood's shape (it is connected and crosses no boundary), so the answer at
// its centre is the answer at every point of it. Two such cells sharing a side share points, so
// they have the same answer too: one exact lookup answers a whole connected region of them. Every
// cell an edge meets is marked "ask the polygons", with a margin far wider than the rounding of
// a point to its cell, so a point on or near a boundary is always decided by the exact test.
//
// The cost it saves: the exact test (an R-tree query, then a point-in-polygon walk of each
// candidate's few hundred vertices) was ~18k instructions a report in the fan-out bench; a cell
// read is a few dozen.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace puente::core {

class NeighborhoodGrid {
 public:
  // An edge of a ring: (x0, y0) to (x1, y1), x = longitude, y = latitude.
  struct Edge {
    double x0, y0, x1, y1;
  };
  // A neighborhood's index, or nowhere: the point lies outside every one.
  using Answer = std::int32_t;
  static constexpr Answer nowhere = -1;
  // The exact lookup the grid stands in front of: the answer at (x, y).
  using ExactLookup = std::function<Answer(double x, double y)>;

  NeighborhoodGrid() = default;  // knows nothing: every point goes to the exact test
  // `edges`: every edge of every ring; the grid covers their bounding box in `side` x `side`
  // cells. 0: as many as the map needs, about four cells an edge and at most max_side a side
  // (the LA City file's 33,269 edges: 366), so a map of a few shapes costs a few cells.
  static constexpr unsigned max_side = 384;
  NeighborhoodGrid(const std::vector<Edge>& edges, const ExactLookup& exact, unsigned side = 0);

  // The answer at (x, y) when the grid knows it; nullopt when the exact test must decide.
  std::optional<Answer> known(double x, double y) const {
    if (cells_.empty()) return std::nullopt;
    // Outside the bounds no shape reaches (so is NaN, which fails every comparison).
    if (!(x >= min_x_ && x <= max_x_ && y >= min_y_ && y <= max_y_)) return nowhere;
    const Answer answer = cells_[cell_of(x, y)];
    if (answer == ask) return std::nullopt;
    return answer;
  }

  // How many cells know their answer, of all: what the grid saves depends on it.
  double known_share() const;
  std::size_t side() const { return side_; }

 private:
  static constexpr Answer ask = -2;  // a boundary meets the cell

  std::size_t cell_of(double x, double y) const { return row_of(y) * side_ + column_of(x); }
  std::size_t column_of(double x) const { return clamped((x - min_x_) * per_x_); }
  std::size_t row_of(double y) const { return clamped((y - min_y_) * per_y_); }
  std::size_t clamped(double cells) const {
    if (!(cells > 0)) return 0;
    return cells >= side_ ? side_ - 1 : static_cast<std::size_t>(cells);
  }

  void mark_edges(const std::vector<Edge>& edges);
  void fill_regions(const ExactLookup& exact);

  std::size_t side_ = 0;
  double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
  double per_x_ = 0, per_y_ = 0;  // cells per degree
  std::vector<Answer> cells_;     // row by row from (min x, min y); empty: knows nothing
};

}  // namespace puente::core
