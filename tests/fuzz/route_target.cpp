// A request's method and target as the node routes them (net/router.hpp): the node's own route
// table, read from docs/api/openapi.yaml (the OpenApi test keeps the two equal), the map tiles'
// route with a tiles folder behind it (net/tile_files.hpp), and the pages' fallback. The input's
// first byte picks the method, the rest is the target: path and query.
//
// Beyond "no crash": every request is answered exactly once; a route's handler gets only
// segments that spell one path (none empty, "." or "..", none holding "/"); the fallback gets
// only a GET no route's path matches; the router itself answers only 400, 404 or 405; and a tile
// is served only for the one spelling of a tile the folder holds, never through a symlink out.

#include "fuzz_target.hpp"

#include "net/router.hpp"
#include "net/tile_files.hpp"

#include <array>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace puente::fuzz {
namespace {

namespace http = net::http;

constexpr std::array kMethods = {http::verb::get,     http::verb::post, http::verb::put,
                                 http::verb::delete_, http::verb::head, http::verb::options};

// "3/2/5.png" and the other tiles of the folder; "3/2/6.png" is a symlink out of it.
const std::set<std::string>& tiles_held() {
  static const std::set<std::string> held = {"0/0/0.png", "3/2/5.png", "12/655/1582.png"};
  return held;
}

const net::TileFiles& tile_files() {
  static const net::TileFiles tiles = [] {
    const auto root = scratch_dir() / "tiles";
    for (const auto& tile : tiles_held()) {
      std::filesystem::create_directories((root / tile).parent_path());
      write_file(root / tile, "\x89PNG\r\n\x1a\n fuzz tile");
    }
    write_file(scratch_dir() / "outside.png", "not a tile");
    std::filesystem::remove(root / "3/2/6.png");
    std::filesystem::create_symlink(scratch_dir() / "outside.png", root / "3/2/6.png");
    return net::TileFiles(root, 18);
  }();
  return tiles;
}

// Every "METHOD /path" the node serves, as docs/api/openapi.yaml lists it.
std::vector<std::pair<http::verb, std::string>> api_routes() {
  std::ifstream in(PUENTE_SOURCE_DIR "/docs/api/openapi.yaml");
  fuzz_check(in.good(), "docs/api/openapi.yaml is missing");
  const std::regex path_line(R"(^  (/\S*):\s*$)");
  const std::regex method_line(R"(^    (get|post|put|delete|patch):\s*$)");
  std::vector<std::pair<http::verb, std::string>> routes;
  std::string line, path;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_match(line, match, path_line))
      path = match[1];
    else if (!path.empty() && std::regex_match(line, match, method_line)) {
      std::string method = match[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes.emplace_back(http::string_to_verb(method), path);
    }
  }
  fuzz_check(routes.size() > 20, "docs/api/openapi.yaml lists too few routes");
  return routes;
}

// What one dispatch did.
struct Outcome {
  int answers = 0;
  int status = 0;
  std::string handled_by;  // the route, "fallback", or "" when the router answered
};

void check_segments(const net::RouteParams& params) {
  for (const auto& [name, value] : params.path)
    fuzz_check(
        !value.empty() && value != "." && value != ".." && value.find('/') == std::string::npos,
        "a route got a segment that is not one spelling of a path");
}

// What the dispatch under way did: the handlers write it.
Outcome* current_dispatch = nullptr;

const net::Router& router() {
  static const net::Router routes = [] {
    net::Router r;
    // First: the route table lists the tiles' route too, and the first route that matches wins.
    r.add(http::verb::get, "/tiles/{z}/{x}/{y}",
          [](net::Request&& request, net::RouteParams params, net::Respond respond) {
            check_segments(params);
            current_dispatch->handled_by = params.route;
            const auto& z = params.path.at("z");
            const auto& x = params.path.at("x");
            const auto& y = params.path.at("y");
            auto response = tile_files().serve(request, z, x, y);
            if (response.result() == http::status::ok)
              fuzz_check(tiles_held().contains(z + "/" + x + "/" + y),
                         "a tile was served for a path that is not one the folder holds");
            respond(std::move(response));
          });
    for (const auto& [method, pattern] : api_routes())
      r.add(method, pattern, [](net::Request&&, net::RouteParams params, net::Respond respond) {
        check_segments(params);
        current_dispatch->handled_by = params.route;
        respond(net::json_response(http::status::ok, "{}"));
      });
    r.fallback([](net::Request&& request, net::RouteParams, net::Respond respond) {
      fuzz_check(request.method() == http::verb::get, "the fallback got another method than GET");
      current_dispatch->handled_by = "fallback";
      respond(net::json_response(http::status::ok, "{}"));
    });
    return r;
  }();
  return routes;
}

}  // namespace
}  // namespace puente::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using namespace puente::fuzz;
  if (size == 0) return 0;
  const auto method = kMethods[data[0] % kMethods.size()];
  const auto target = as_text(data + 1, size - 1);
  Outcome outcome;
  current_dispatch = &outcome;
  net::Request request{method, std::string(target), 11};
  router().dispatch(std::move(request), [&outcome](net::Response response) {
    ++outcome.answers;
    outcome.status = response.result_int();
  });
  fuzz_check(outcome.answers == 1, "a request was not answered exactly once");
  if (outcome.handled_by.empty())
    fuzz_check(outcome.status == 400 || outcome.status == 404 || outcome.status == 405,
               "the router answered with another status than 400, 404 or 405");
  return 0;
}
