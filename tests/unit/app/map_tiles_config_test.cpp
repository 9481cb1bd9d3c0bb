// [web] tiles_*: off by default; a tile server's URL or a folder this node serves; anything a
// page could not use, or that would widen the Content-Security-Policy beyond one tile origin,
// is refused at start with an error naming the option.
#include "config_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::app {
namespace {

namespace fs = std::filesystem;

class MapTilesConfig : public ::testing::Test {
 protected:
  test::ConfigFile file;
  const fs::path& dir = file.folder();

  void SetUp() override {
    fs::create_directories(dir / "osm");
    std::ofstream(dir / "not-a-folder.png") << "x";
  }

  MapTiles load(const std::string& web) { return file.load("[web]\n" + web + "\n").tiles; }

  // The error a [web] table gets at start; empty if it loads.
  std::string refusal(const std::string& web) { return file.refusal("[web]\n" + web + "\n"); }
};

TEST_F(MapTilesConfig, TilesAreOffByDefault) {
  auto example = load_config(fs::path(PUENTE_SOURCE_DIR) / "config/puented.toml").tiles;
  EXPECT_FALSE(example.enabled());
  EXPECT_TRUE(example.origin.empty());
  EXPECT_TRUE(example.dir.empty());
  EXPECT_FALSE(load("").enabled());
}

TEST_F(MapTilesConfig, ATileServerGivesItsOriginAndOnlyThatForTheImagePolicy) {
  auto tiles = load(
      "tiles_url = \"https://tiles.example.org/osm/{z}/{x}/{y}.png\"\n"
      "tiles_attribution = \"© OpenStreetMap contributors\"\ntiles_max_zoom = 16\n");
  EXPECT_TRUE(tiles.enabled());
  EXPECT_EQ(tiles.url, "https://tiles.example.org/osm/{z}/{x}/{y}.png");
  EXPECT_EQ(tiles.origin, "https://tiles.example.org");
  EXPECT_EQ(tiles.attribution, "© OpenStreetMap contributors");
  EXPECT_EQ(tiles.max_zoom, 16);

  EXPECT_EQ(
      load("tiles_url = \"https://tiles.example.org:8443/{z}/{x}/{y}.png?style=light\"").origin,
      "https://tiles.example.org:8443");
  // Plain http on this machine: a local tile server, the browser tests.
  EXPECT_EQ(load("tiles_url = \"http://127.0.0.1:9000/{z}/{x}/{y}.png\"").origin,
            "http://127.0.0.1:9000");
  EXPECT_EQ(load("tiles_url = \"http://localhost:9000/{z}/{x}/{y}.png\"").origin,
            "http://localhost:9000");
  EXPECT_EQ(load("tiles_url = \"http://[::1]:9000/{z}/{x}/{y}.png\"").origin, "http://[::1]:9000");
  EXPECT_EQ(load("").max_zoom, 18);
}

TEST_F(MapTilesConfig, APathIsThisNodesOwnOriginAndAddsNoOther) {
  auto proxied = load("tiles_url = \"/osm/{z}/{x}/{y}.png\"");
  EXPECT_TRUE(proxied.enabled());
  EXPECT_TRUE(proxied.origin.empty());
  EXPECT_TRUE(proxied.dir.empty());
}

TEST_F(MapTilesConfig, AFolderIsServedByTheNodeAndFoundBesideTheConfig) {
  auto tiles = load("tiles_dir = \"osm\"\ntiles_max_zoom = 0\n");
  EXPECT_EQ(tiles.dir, dir / "osm");
  EXPECT_EQ(tiles.url, "/tiles/{z}/{x}/{y}.png");
  EXPECT_TRUE(tiles.origin.empty());
  EXPECT_EQ(tiles.max_zoom, 0);
}

TEST_F(MapTilesConfig, ABadTileUrlIsRefusedNamingTheOption) {
  for (const char* url : {
           "http://tiles.example.org/{z}/{x}/{y}.png",       // plain http off this machine
           "https://tiles.example.org/{z}/{x}.png",          // no {y}
           "https://tiles.example.org/tiles.png",            // no placeholder at all
           "https://{z}.tiles.example.org/{z}/{x}/{y}.png",  // a host per zoom: many origins
           "https://user:secret@tiles.example.org/{z}/{x}/{y}.png",
           "ftp://tiles.example.org/{z}/{x}/{y}.png",
           "javascript:{z}{x}{y}",
           "//tiles.example.org/{z}/{x}/{y}.png",  // scheme-relative
           "tiles/{z}/{x}/{y}.png",                // relative to what?
           "https://tiles.example.org/{z}/{x}/{y}.png; script-src *",
           "https://tiles.example.org/{z}/{x}/{y}.png#top",
           "https:///{z}/{x}/{y}.png",
       }) {
    auto why = refusal(std::string("tiles_url = \"") + url + "\"");
    EXPECT_NE(why.find("web.tiles_url"), std::string::npos)
        << url << ": " << (why.empty() ? "accepted" : why);
  }
  EXPECT_NE(refusal("tiles_url = 5").find("web.tiles_url has the wrong type"), std::string::npos);
}

TEST_F(MapTilesConfig, OtherBadTileOptionsAreRefusedNamingTheOption) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tiles_dir = \"missing\"", "web.tiles_dir"},
      {"tiles_dir = \"not-a-folder.png\"", "web.tiles_dir"},
      {"tiles_dir = \"osm\"\ntiles_url = \"https://tiles.example.org/{z}/{x}/{y}.png\"",
       "web.tiles_dir"},
      {"tiles_url = \"/osm/{z}/{x}/{y}.png\"\ntiles_max_zoom = 23",
       "web.tiles_max_zoom must be between 0 and 22"},
      {"tiles_url = \"/osm/{z}/{x}/{y}.png\"\ntiles_max_zoom = -1",
       "web.tiles_max_zoom must be between 0 and 22"},
      {"tiles_url = \"/osm/{z}/{x}/{y}.png\"\ntiles_attribution = \"line\\nbreak\"",
       "web.tiles_attribution"},
      {"tiles_url = \"/osm/{z}/{x}/{y}.png\"\ntiles_attribution = \"" + std::string(201, 'a') +
           "\"",
       "web.tiles_attribution"},
  };
  for (const auto& [web, option] : cases) {
    auto why = refusal(web);
    EXPECT_NE(why.find(option), std::string::npos)
        << web << ": " << (why.empty() ? "accepted" : why);
  }
}

}  // namespace
}  // namespace puente::app
