// puente neighborhoods: GET /v1/neighborhoods;  puente locate: GET /v1/neighborhoods/locate.

#include "api_client.hpp"
#include "commands.hpp"
#include "format.hpp"

#include <cstdio>
#include <iostream>
#include <memory>

namespace puente::cli {
namespace {

struct LocateOptions {
  double lat = 0;
  double lon = 0;
};

void run_neighborhoods(const GlobalOptions& global) {
  ApiClient api(global);
  auto answer = api.get("/v1/neighborhoods");
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::NeighborhoodList list;
  ApiClient::parse(answer, list);
  for (const auto& neighborhood : list.neighborhoods())
    std::cout << neighborhood_line(neighborhood) << "\n";
}

void run_locate(const LocateOptions& options, const GlobalOptions& global) {
  // %.7f keeps about a centimeter, more than any report needs, in plain decimal notation.
  char query[96];
  std::snprintf(query, sizeof query, "?lat=%.7f&lon=%.7f", options.lat, options.lon);
  ApiClient api(global);
  auto answer = api.get(std::string("/v1/neighborhoods/locate") + query);
  if (global.json) {
    std::cout << answer.body << "\n";
    return;
  }
  v1::Neighborhood neighborhood;
  ApiClient::parse(answer, neighborhood);
  std::cout << neighborhood_line(neighborhood) << "\n";
}

}  // namespace

void add_geography_commands(CLI::App& app, const GlobalOptions& global) {
  auto* neighborhoods = app.add_subcommand("neighborhoods", "List the neighborhoods, one a line");
  neighborhoods->footer("Prints: slug, name, adjacent slugs");
  neighborhoods->callback([&global] { run_neighborhoods(global); });

  auto options = std::make_shared<LocateOptions>();
  auto* locate = app.add_subcommand("locate", "Say which neighborhood a point is in");
  locate->add_option("--lat", options->lat, "Latitude in decimal degrees")
      ->required()
      ->check(CLI::Range(-90.0, 90.0));
  locate->add_option("--lon", options->lon, "Longitude in decimal degrees")
      ->required()
      ->check(CLI::Range(-180.0, 180.0));
  locate->callback([options, &global] { run_locate(*options, global); });
}

}  // namespace puente::cli
