#pragma once
// How load_config (config.cpp) reads one option of the TOML file: of the right type or an error
// naming it, a number within its range, a path relative to the config file, a list of strings.
// An option out of its range is a typo, and a node must say so at start rather than misbehave
// later.

#include <toml++/toml.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace puente::app::config_option {

inline constexpr std::int64_t a_day_ms = 24LL * 3600 * 1000;
inline constexpr std::int64_t ten_years_s = 10LL * 366 * 24 * 3600;
inline constexpr std::int64_t a_gibibyte = 1LL << 30;

// The option at `path`, `fallback` when absent; throws naming it when of another type.
template <typename T>
T get_or(const toml::table& table, std::string_view path, T fallback) {
  auto node = table.at_path(path);
  if (!node) return fallback;
  auto value = node.value<T>();
  if (!value) throw std::runtime_error("config: " + std::string(path) + " has the wrong type");
  return *value;
}

// `value` as a path: itself if absolute, else under `base` (the config file's folder); empty
// stays empty (not set).
std::filesystem::path relative_to(const std::filesystem::path& base, const std::string& value);

// A whole number within [low, high].
std::int64_t whole(const toml::table& t, std::string_view path, std::int64_t fallback,
                   std::int64_t low, std::int64_t high);

// Durations: at least 1 (a 0 timeout would fire at once); at most a day, or ten years.
std::chrono::milliseconds millis(const toml::table& t, std::string_view path,
                                 std::chrono::milliseconds d);
std::chrono::seconds seconds(const toml::table& t, std::string_view path, std::chrono::seconds d);

// A size in bytes, `low` to a gibibyte.
std::size_t bytes(const toml::table& t, std::string_view path, std::size_t d, std::int64_t low = 1);

// A list of non-empty strings; `fallback` when absent.
std::vector<std::string> strings(const toml::table& t, std::string_view path,
                                 std::vector<std::string> fallback);

}  // namespace puente::app::config_option
