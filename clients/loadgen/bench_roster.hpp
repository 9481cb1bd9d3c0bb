#pragma once
// `puente-loadgen roster`: a roster for the benchmark, written into a folder of its own:
//   roster.toml          one operator and N legal observers, observer i on call for room i % R
//                        (always: no shifts), each token stored only as its SHA-256
//   operator-token       the operator's bearer token
//   observer-tokens.txt  observer i's token on line i
//   rooms.tsv            the rooms and their points (bench_geography.hpp): the observers'
//                        first, then the flood's
// Fresh random tokens each time; the folder is a temp dir the bench script removes.

#include <filesystem>
#include <string>
#include <vector>

namespace puente::loadgen {

void write_bench_roster(const std::filesystem::path& folder, const std::vector<std::string>& rooms,
                        std::size_t observers);

std::vector<std::string> read_lines(const std::filesystem::path& file);

}  // namespace puente::loadgen
