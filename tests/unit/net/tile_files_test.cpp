// The map tiles a node serves from [web] tiles_dir: /tiles/{z}/{x}/{y}.png and nothing else,
// never a file outside the folder, each as image/png with an ETag and a day's cache.
#include "net/tile_files.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::net {
namespace {

namespace fs = std::filesystem;

// Not a real image: the server sends the bytes as they are, whatever they hold.
const std::string tile_bytes = std::string("\x89PNG\r\n\x1a\n", 8) + "tile 10/175/408";

class TileFilesTest : public ::testing::Test {
 protected:
  test::TempDir folder{"puente-tiles-"};
  const fs::path& dir = folder.path();

  void SetUp() override {
    fs::create_directories(dir / "tiles" / "10" / "175");
    write("tiles/10/175/408.png", tile_bytes);
    fs::create_directories(dir / "tiles" / "1" / "0");
    write("tiles/1/0/0.png", tile_bytes);
    write("tiles/10/175/409.txt", "not a tile");
    write("secret.png", "outside the folder");
    fs::create_symlink(dir / "secret.png", dir / "tiles" / "10" / "175" / "410.png");
  }

  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  }

  static Response get(const TileFiles& tiles, std::string_view z, std::string_view x,
                      std::string_view y, const std::string& if_none_match = {}) {
    Request request{http::verb::get, "/", 11};
    request.set(http::field::accept_encoding, "gzip");
    if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
    return tiles.serve(request, z, x, y);
  }
};

TEST_F(TileFilesTest, ATileGoesOutAsAPngWithAnETagAndADaysCache) {
  TileFiles tiles(dir / "tiles", 18);
  auto tile = get(tiles, "10", "175", "408.png");
  EXPECT_EQ(tile.result_int(), 200u);
  EXPECT_EQ(tile[http::field::content_type], "image/png");
  EXPECT_EQ(tile.body(), tile_bytes);
  EXPECT_TRUE(tile[http::field::content_encoding].empty()) << "a PNG is compressed already";
  EXPECT_EQ(tile[http::field::cache_control], "public, max-age=86400");
  ASSERT_FALSE(tile[http::field::etag].empty());

  auto again = get(tiles, "10", "175", "408.png", std::string(tile[http::field::etag]));
  EXPECT_EQ(again.result_int(), 304u);
  EXPECT_TRUE(again.body().empty());
}

TEST_F(TileFilesTest, AMissingTileIsAJson404) {
  TileFiles tiles(dir / "tiles", 18);
  auto missing = get(tiles, "10", "176", "408.png");
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_EQ(missing[http::field::content_type], "application/json");
  EXPECT_NE(missing.body().find("not_found"), std::string::npos);
}

TEST_F(TileFilesTest, OnlyPlainNumbersInRangeAreServedAndNothingOutsideTheFolder) {
  TileFiles tiles(dir / "tiles", 12);
  const std::vector<std::array<std::string_view, 3>> refused = {
      {"..", "..", "secret.png"},  // a way out
      {"10", "..", "secret.png"}, {"10", "175", "..%2f..%2fsecret.png"},
      {"10", "175", "410.png"},  // a symlink out of the folder
      {"10", "175", "409.txt"},  // not a PNG
      {"10", "175", "408"},       {"10", "175", ".png"},
      {"010", "175", "408.png"},  // "10" written otherwise
      {"10", "0175", "408.png"},  {"+10", "175", "408.png"},
      {"-1", "0", "0.png"},       {"13", "0", "0.png"},  // deeper than the configured 12
      {"10", "1024", "0.png"},                           // x and y below 2^z
      {"10", "0", "1024.png"},    {"99999999999", "0", "0.png"},
      {"1", "0", "-0.png"},  // issue 15: 0 written otherwise was served
      {"1", "-0", "0.png"},       {"-0", "0", "0.png"},
      {"1", "0", " 0.png"},
  };
  for (const auto& [z, x, y] : refused) {
    auto answer = get(tiles, z, x, y);
    EXPECT_EQ(answer.result_int(), 404u) << z << "/" << x << "/" << y;
    EXPECT_EQ(answer[http::field::content_type], "application/json") << z << "/" << x << "/" << y;
  }
  EXPECT_EQ(get(tiles, "10", "175", "408.png").result_int(), 200u);
  EXPECT_EQ(get(tiles, "1", "0", "0.png").result_int(), 200u);
}

TEST_F(TileFilesTest, AFolderThatIsNotOneIsRefusedAtStart) {
  EXPECT_THROW(TileFiles(dir / "nowhere", 18), std::runtime_error);
  EXPECT_THROW(TileFiles(dir / "secret.png", 18), std::runtime_error);
}

}  // namespace
}  // namespace puente::net
