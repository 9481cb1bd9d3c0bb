// Map tiles through a real node: [web] tiles_dir served at /tiles/{z}/{x}/{y}.png (PNG, cached,
// nothing outside the folder), the settings the pages read, and the Content-Security-Policy:
// a configured tile server's origin in img-src and nowhere else; with no tiles, as before.
#include "test_network.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

const std::string tile_bytes = std::string("\x89PNG\r\n\x1a\n", 8) + "a tile of zoom 3";
const std::string own_images = "img-src 'self' data:;";

std::string csp(const client::HttpResponse& answer) {
  return answer.header("Content-Security-Policy").value_or("(none)");
}

TEST(MapTiles, AFolderOfTilesIsServedByTheNodeAndNothingBesideIt) {
  TestNetwork net(
      "[web]\ntiles_dir = \"tiles\"\ntiles_max_zoom = 12\ntiles_attribution = \"Test tiles\"\n");
  std::filesystem::create_directories(net.dir() / "tiles" / "3" / "1");
  std::ofstream(net.dir() / "tiles" / "3" / "1" / "3.png", std::ios::binary) << tile_bytes;
  auto node = net.start_node("a");

  auto tile =
      node->call(http::verb::get, "/tiles/3/1/3.png", "");  // no token: an <image> sends none
  EXPECT_EQ(tile.status, 200u);
  EXPECT_EQ(tile.content_type, "image/png");
  EXPECT_EQ(tile.body, tile_bytes);
  EXPECT_EQ(tile.header("Cache-Control").value_or(""), "public, max-age=86400");
  EXPECT_NE(csp(tile).find(own_images), std::string::npos) << csp(tile);

  for (const char* target : {"/tiles/3/1/4.png", "/tiles/13/0/0.png", "/tiles/3/1/3.PNG"}) {
    auto refused = node->call(http::verb::get, target, "");
    EXPECT_EQ(refused.status, 404u) << target << ": " << refused.body;
    EXPECT_EQ(refused.content_type, "application/json") << target;
  }
  // A way out of the folder never reaches it: the router refuses dot segments and encoded "/".
  for (const char* target :
       {"/tiles/%2e%2e/%2e%2e/roster.toml", "/tiles/3/1/..%2f..%2f..%2froster.toml",
        "/tiles/3/1/%2e%2e", "/tiles/../puented.toml"}) {
    auto refused = node->call(http::verb::get, target, "");
    EXPECT_EQ(refused.status, 400u) << target << ": " << refused.body;
    EXPECT_NE(refused.body.find("\"bad_target\""), std::string::npos)
        << target << ": " << refused.body;
  }

  auto settings = node->call(http::verb::get, "/v1/neighborhoods/map/tiles", net.token("disp"));
  EXPECT_EQ(settings.status, 200u);
  EXPECT_EQ(settings.body,
            R"({"urlTemplate":"/tiles/{z}/{x}/{y}.png","attribution":"Test tiles","maxZoom":12})");
  EXPECT_EQ(node->call(http::verb::get, "/v1/neighborhoods/map/tiles", "").status, 401u);
}

TEST(MapTiles, ATileServersOriginJoinsImageSourcesAndNothingElse) {
  TestNetwork net("[web]\ntiles_url = \"https://tiles.example.org/osm/{z}/{x}/{y}.png\"\n");
  auto node = net.start_node("a");
  auto page = node->call(http::verb::get, "/board.html", "");
  ASSERT_EQ(page.status, 200u);
  const auto policy = csp(page);
  EXPECT_NE(policy.find("img-src 'self' data: https://tiles.example.org;"), std::string::npos)
      << policy;
  EXPECT_EQ(policy.find("tiles.example.org"), policy.rfind("tiles.example.org")) << policy;

  auto settings = node->call(http::verb::get, "/v1/neighborhoods/map/tiles", net.token("op"));
  EXPECT_EQ(settings.body,
            R"({"urlTemplate":"https://tiles.example.org/osm/{z}/{x}/{y}.png","maxZoom":18})");
  // The node serves no tiles of its own.
  EXPECT_EQ(node->call(http::verb::get, "/tiles/0/0/0.png", "").status, 404u);
}

TEST(MapTiles, WithoutTilesThePagesGetNoneAndThePolicyIsUnchanged) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto settings = node->call(http::verb::get, "/v1/neighborhoods/map/tiles", net.token("obs-bh"));
  EXPECT_EQ(settings.status, 200u);
  EXPECT_EQ(settings.body, "{}");
  EXPECT_NE(csp(settings).find(own_images), std::string::npos) << csp(settings);
  EXPECT_EQ(node->call(http::verb::get, "/tiles/0/0/0.png", "").status, 404u);
}

}  // namespace
}  // namespace puente::test
