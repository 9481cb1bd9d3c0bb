// The web pages' files: only what lies under the root is served, whatever the path says; each
// with its type, an ETag that turns a repeat into a 304, and gzip for whoever takes it.
#include "net/static_files.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::net {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  test::TempDir folder{"puente-web-"};
  const fs::path& dir = folder.path();

  void SetUp() override {
    fs::create_directories(dir / "web" / "js");
    write("web/index.html", "<!doctype html><title>front</title>");
    write("web/js/board.js",
          "export const x = 1;\n" + std::string(4000, ' ') + "// padding that compresses\n");
    write("web/.hidden", "secret");
    write("outside.txt", "not a page");
    fs::create_symlink(dir / "outside.txt", dir / "web" / "escape.txt");
    fs::create_symlink(dir / "web" / "index.html", dir / "web" / "alias.html");
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  }

  Response get(StaticFiles& files, const std::string& path, const std::string& if_none_match = {},
               const std::string& accept_encoding = {}) {
    Request request{http::verb::get, "/", 11};  // serve() reads the decoded path it is given
    if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
    if (!accept_encoding.empty()) request.set(http::field::accept_encoding, accept_encoding);
    return files.serve(request, path);
  }
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypeAndAFolderAsItsIndex) {
  StaticFiles files(dir / "web");
  auto page = get(files, "/");
  EXPECT_EQ(page.result_int(), 200u);
  EXPECT_EQ(page[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(page.body(), "<!doctype html><title>front</title>");
  EXPECT_EQ(get(files, "/index.html").body(), page.body());
  EXPECT_EQ(get(files, "/js/board.js")[http::field::content_type],
            "text/javascript; charset=utf-8");
  EXPECT_EQ(get(files, "//js///board.js").result_int(), 200u);
  // A symlink that stays inside the root is as good as the file.
  EXPECT_EQ(get(files, "/alias.html").result_int(), 200u);
}

TEST_F(StaticFilesTest, NothingOutsideTheRootNorHiddenIsServedAndEachRefusalIsAJson404) {
  StaticFiles files(dir / "web");
  for (const char* path : {"/../outside.txt", "/js/../../outside.txt", "/escape.txt", "/.hidden",
                           "/./index.html", "/missing.html", "/js", "/js\\board.js"}) {
    auto response = get(files, path);
    EXPECT_EQ(response.result_int(), 404u) << path;
    EXPECT_EQ(response[http::field::content_type], "application/json") << path;
    EXPECT_NE(response.body().find(R"("code":"not_found")"), std::string::npos) << path;
  }
  EXPECT_EQ(get(files, std::string("/index.html\0x", 13)).result_int(), 404u);
}

TEST_F(StaticFilesTest, TheETagMakesARepeatA304AndAnEditAFreshCopy) {
  StaticFiles files(dir / "web");
  auto first = get(files, "/index.html");
  auto etag = std::string(first[http::field::etag]);
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(first[http::field::cache_control], "no-cache");
  auto again = get(files, "/index.html", etag);
  EXPECT_EQ(again.result_int(), 304u);
  EXPECT_TRUE(again.body().empty());

  write("web/index.html", "<!doctype html><title>edited, and longer</title>");
  auto edited = get(files, "/index.html", etag);
  EXPECT_EQ(edited.result_int(), 200u);
  EXPECT_NE(edited[http::field::etag], etag);
  EXPECT_NE(edited.body().find("edited"), std::string::npos);
}

TEST_F(StaticFilesTest, GzipGoesOnlyToClientsThatTakeIt) {
  StaticFiles files(dir / "web");
  auto plain = get(files, "/js/board.js");
  EXPECT_TRUE(plain[http::field::content_encoding].empty());
  auto zipped = get(files, "/js/board.js", {}, "gzip, deflate, br");
  EXPECT_EQ(zipped[http::field::content_encoding], "gzip");
  EXPECT_LT(zipped.body().size(), plain.body().size() / 4);
  EXPECT_EQ(zipped[http::field::vary], "Accept-Encoding");
  EXPECT_TRUE(get(files, "/js/board.js", {}, "gzip;q=0")[http::field::content_encoding].empty());
  // Too small to gain from it.
  EXPECT_TRUE(get(files, "/index.html", {}, "gzip")[http::field::content_encoding].empty());
}

TEST_F(StaticFilesTest, ARootThatIsNoFolderIsRefusedAtStart) {
  EXPECT_THROW(StaticFiles(dir / "nowhere"), std::runtime_error);
  EXPECT_THROW(StaticFiles(dir / "outside.txt"), std::runtime_error);
}

}  // namespace
}  // namespace puente::net
