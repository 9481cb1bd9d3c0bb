// NeighborhoodGrid on shapes whose exact answer is known by arithmetic: squares and a triangle.

#include "core/neighborhood_grid.hpp"

#include <gtest/gtest.h>

#include <random>
#include <utility>
#include <vector>

namespace puente::core {
namespace {

using Edge = NeighborhoodGrid::Edge;

// Closed squares [x0, x1] x [y0, y1] (index 0 and 1, overlapping on a shared side) and the
// triangle (0,0) (10,0) (0,10) as index 2 wherever neither square covers.
struct Shapes {
  static bool in_square0(double x, double y) { return x >= 1 && x <= 4 && y >= 1 && y <= 4; }
  static bool in_square1(double x, double y) { return x >= 4 && x <= 7 && y >= 1 && y <= 4; }
  static bool in_triangle(double x, double y) { return x >= 0 && y >= 0 && x + y <= 10; }
  // The lowest index covering the point wins, as GeoIndex's exact test decides.
  static NeighborhoodGrid::Answer exact(double x, double y) {
    if (in_square0(x, y)) return 0;
    if (in_square1(x, y)) return 1;
    if (in_triangle(x, y)) return 2;
    return NeighborhoodGrid::nowhere;
  }
  static std::vector<Edge> edges() {
    std::vector<Edge> all;
    const auto square = [&](double x0, double y0, double x1, double y1) {
      all.push_back({x0, y0, x1, y0});
      all.push_back({x1, y0, x1, y1});
      all.push_back({x1, y1, x0, y1});
      all.push_back({x0, y1, x0, y0});
    };
    square(1, 1, 4, 4);
    square(4, 1, 7, 4);
    all.push_back({0, 0, 10, 0});
    all.push_back({10, 0, 0, 10});
    all.push_back({0, 10, 0, 0});
    return all;
  }
};

TEST(NeighborhoodGrid, AnswersEveryPointAsTheExactLookupDoes) {
  const NeighborhoodGrid grid(Shapes::edges(), Shapes::exact, 64);
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> coordinate(-1, 11);
  int known = 0;
  for (int i = 0; i < 200'000; ++i) {
    const double x = coordinate(random), y = coordinate(random);
    if (const auto answer = grid.known(x, y)) {
      ++known;
      ASSERT_EQ(*answer, Shapes::exact(x, y)) << "at " << x << ", " << y;
    }
  }
  // Most of the map is away from every boundary: the grid is worth its memory.
  EXPECT_GT(known, 150'000);
}

TEST(NeighborhoodGrid, APointOnOrNextToABoundaryIsLeftToTheExactLookup) {
  const NeighborhoodGrid grid(Shapes::edges(), Shapes::exact, 64);
  for (const Edge& e : Shapes::edges()) {
    for (int k = 0; k <= 1000; ++k) {
      const double t = k / 1000.0;
      const double x = e.x0 + t * (e.x1 - e.x0), y = e.y0 + t * (e.y1 - e.y0);
      EXPECT_EQ(grid.known(x, y), std::nullopt) << "at " << x << ", " << y;
      // A hair off the edge: asked of the exact lookup too, or (outside the box of every ring,
      // where no shape reaches) nowhere.
      for (const double nudge : {1e-12, -1e-12, 1e-9, -1e-9}) {
        for (const auto& [px, py] : {std::pair{x + nudge, y}, std::pair{x, y + nudge}}) {
          const auto answer = grid.known(px, py);
          EXPECT_TRUE(!answer || (*answer == NeighborhoodGrid::nowhere &&
                                  Shapes::exact(px, py) == NeighborhoodGrid::nowhere &&
                                  (px < 0 || py < 0 || px > 10 || py > 10)))
              << "at " << px << ", " << py << ": " << *answer;
        }
      }
    }
  }
}

TEST(NeighborhoodGrid, OutsideTheShapesBoxIsNowhere) {
  const NeighborhoodGrid grid(Shapes::edges(), Shapes::exact, 64);
  EXPECT_EQ(grid.known(-0.5, 5), NeighborhoodGrid::nowhere);
  EXPECT_EQ(grid.known(5, 10.5), NeighborhoodGrid::nowhere);
  EXPECT_EQ(grid.known(1e300, 5), NeighborhoodGrid::nowhere);
  EXPECT_EQ(grid.known(9, 9), NeighborhoodGrid::nowhere);  // inside the box, past the triangle
  EXPECT_EQ(grid.known(2, 2), 0);
  EXPECT_EQ(grid.known(6, 2), 1);
  EXPECT_EQ(grid.known(2, 6), 2);
}

// A map of a few shapes (a fuzzer's, a test's) costs a few cells: about four an edge.
TEST(NeighborhoodGrid, ItsCellsGrowWithTheMapsEdges) {
  EXPECT_EQ(NeighborhoodGrid(Shapes::edges(), Shapes::exact).side(), 8u);  // 11 edges
  EXPECT_EQ(NeighborhoodGrid(Shapes::edges(), Shapes::exact, 64).side(), 64u);
  std::vector<Edge> many;
  for (int i = 0; i < 200'000; ++i) many.push_back({1.0 * i, 1.0 * i, i + 0.5, 1.0 * i});
  EXPECT_EQ(NeighborhoodGrid(many, Shapes::exact).side(), NeighborhoodGrid::max_side);
}

TEST(NeighborhoodGrid, WithoutShapesItKnowsNothing) {
  const NeighborhoodGrid none({}, Shapes::exact);
  EXPECT_EQ(none.known(2, 2), std::nullopt);
  EXPECT_EQ(none.known_share(), 0);
  // A flat map (every edge on one line) has no cells to speak of either.
  const NeighborhoodGrid flat({{0, 0, 5, 0}}, Shapes::exact);
  EXPECT_EQ(flat.known(2, 0), std::nullopt);
}

}  // namespace
}  // namespace puente::core
