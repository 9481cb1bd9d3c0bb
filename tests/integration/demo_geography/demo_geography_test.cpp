// A clone with nothing beside it runs (issue 24 item 6): deploy/run-local.sh picks the LA
// geography at ../shared/data/la/ when it is there and the made-up demo neighborhoods
// (config/demo-neighborhoods.geojson) when it is not, and the example config with the demo
// neighborhoods starts a real node (real redis-server, real puented) that is ready and serves
// them to the example roster's tokens.
#include "file_text.hpp"
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace puente::test {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

const fs::path source_dir = PUENTE_SOURCE_DIR;
const fs::path demo_geography = source_dir / "config" / "demo-neighborhoods.geojson";

// What `run-local.sh --print-geography` prints when the script sits in `clone`.
std::string geography_chosen(const fs::path& clone, const fs::path& dir) {
  // The log is appended to: one file a call.
  static int calls = 0;
  const auto out = dir / ("geography-" + std::to_string(++calls) + ".txt");
  ChildProcess script((clone / "deploy" / "run-local.sh").string(), {"--print-geography"}, out,
                      {{"PUENTE_NEIGHBORHOODS", ""}});
  auto exit = script.wait_for_exit(std::chrono::seconds(30));
  EXPECT_TRUE(exit && exit->exited && exit->code == 0) << file_text(out);
  auto text = file_text(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

TEST(DemoGeography, RunLocalUsesTheDemoNeighborhoodsInACloneWithNothingBesideIt) {
  // A clone alone in a folder: no ../shared beside it.
  TempDir dir;
  const auto clone = dir.path() / "puente";
  fs::create_directories(clone / "deploy");
  fs::create_directories(clone / "config");
  fs::copy_file(source_dir / "deploy" / "run-local.sh", clone / "deploy" / "run-local.sh");
  fs::copy_file(demo_geography, clone / "config" / "demo-neighborhoods.geojson");
  EXPECT_EQ(geography_chosen(clone, dir.path()),
            (clone / "config" / "demo-neighborhoods.geojson").string());

  // With the LA data beside it, that is used, as before.
  fs::create_directories(dir.path() / "shared" / "data" / "la");
  std::ofstream(dir.path() / "shared" / "data" / "la" / "la-city-neighborhoods-v6.geojson") << "{}";
  EXPECT_EQ(
      geography_chosen(clone, dir.path()),
      (clone / ".." / "shared" / "data" / "la" / "la-city-neighborhoods-v6.geojson").string());
}

TEST(DemoGeography, TheExampleConfigWithTheDemoNeighborhoodsStartsAndIsReady) {
  RedisServer redis;
  TempDir dir;
  PuentedNode node(source_dir / "config" / "puented.toml", redis.port(), "demo", dir.path(),
                   /*wait_ready=*/true,
                   {"--neighborhoods", demo_geography.string(), "--journal",
                    (dir.path() / "demo.journal").string()});

  EXPECT_EQ(node.call(http::verb::get, "/readyz", "").status, 200u);
  // The example roster's tokens sign in; its neighborhoods are the demo's.
  auto list = node.call(http::verb::get, "/v1/neighborhoods", "demo-dispatcher");
  ASSERT_EQ(list.status, 200u) << list.body;
  v1::NeighborhoodList neighborhoods;
  ASSERT_EQ(wire::from_json(list.body, neighborhoods), "");
  EXPECT_EQ(neighborhoods.neighborhoods_size(), 6);
  // The README's and run-local's example report lands in the demo's Boyle Heights.
  auto located = node.call(http::verb::get, "/v1/neighborhoods/locate?lat=34.0335&lon=-118.2110",
                           "demo-operator");
  EXPECT_NE(located.body.find("\"boyle-heights\""), std::string::npos) << located.body;
  auto report = node.call(
      http::verb::post, "/v1/reports", "demo-operator",
      R"({"location":{"lat":34.0335,"lon":-118.2110,"description":"car wash"},"kind":"RAID"})");
  EXPECT_EQ(report.status, 201u) << report.body;
}

}  // namespace
}  // namespace puente::test
