#pragma once
// What every fuzz target shares. A target is one LLVMFuzzerTestOneInput, which libFuzzer calls in
// the fuzzing build (PUENTE_FUZZ, clang; CMakeLists.txt here): first on every committed seed and
// regression, then on what it makes of them.
//
// A target feeds its input to one parser the way the node does and fails only on what would
// take a node down: a sanitizer report, an exception the node does not catch, or a broken
// invariant checked with fuzz_check.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace puente::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// An invariant of the code under test: abort (a finding, with its input saved) when it breaks.
void fuzz_check(bool holds, const char* what);

// Silences the protobuf library's log: it reports every string that is not UTF-8, thousands of
// times a second under libFuzzer, and the parse fails all the same. Call first in every input
// (it acts once).
void quiet_protobuf();

// A private folder for targets whose parser reads files (the config, the journal): in /dev/shm
// when there is one, so that fsync costs nothing; removed at exit.
const std::filesystem::path& scratch_dir();

// Writes `bytes` to `path`, replacing what was there.
void write_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace puente::fuzz
