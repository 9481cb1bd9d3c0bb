#include "bench_roster.hpp"

#include "core/bearer_token.hpp"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>

namespace puente::loadgen {

namespace {

std::ofstream open_for_writing(const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  return out;
}

void write_responder(std::ostream& out, const std::string& id, const char* role,
                     const std::string& neighborhoods, const std::string& token) {
  out << fmt::format(
      "[[responder]]\nid = \"{}\"\nname = \"{}\"\nroles = [\"{}\"]\nneighborhoods = [{}]\n"
      "languages = [\"en\"]\ntoken_sha256 = \"{}\"\n\n",
      id, id, role, neighborhoods, core::sha256_hex(token));
}

}  // namespace

void write_bench_roster(const std::filesystem::path& folder, const std::vector<std::string>& rooms,
                        std::size_t observers) {
  std::filesystem::create_directories(folder);
  auto roster = open_for_writing(folder / "roster.toml");
  roster << "# Benchmark roster written by puente-loadgen: one operator, " << observers
         << " legal observers over " << rooms.size() << " neighborhoods.\n\n";
  auto operator_token = core::new_bearer_token();
  write_responder(roster, "bench-operator", "operator", "", operator_token);
  open_for_writing(folder / "operator-token") << operator_token << "\n";

  auto tokens = open_for_writing(folder / "observer-tokens.txt");
  for (std::size_t i = 0; i < observers; ++i) {
    auto token = core::new_bearer_token();
    write_responder(roster, fmt::format("bench-obs-{:05}", i), "legal_observer",
                    "\"" + rooms[i % rooms.size()] + "\"", token);
    tokens << token << "\n";
  }
  if (!roster || !tokens)
    throw std::runtime_error("writing the benchmark roster into " + folder.string() + " failed");
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace puente::loadgen
