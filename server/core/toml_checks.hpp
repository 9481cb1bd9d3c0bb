#pragma once
// The checks core's strict config readers share (dispatch_policy.cpp, delivery_ladder.cpp): an
// unknown option, a wrong type or a value out of range throws naming the option, so a typo
// stops the node at start instead of silently leaving a default in place. For core's .cpp files
// only: toml++ stays out of core's public headers.

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace puente::core::toml_checks {

[[noreturn]] inline void fail(const std::string& what) { throw std::runtime_error(what); }

// Every key of `table` is one of `allowed` (or `also_allowed`, when given).
template <std::size_t N>
void check_keys(const toml::table& table, const std::string& path,
                const std::array<std::string_view, N>& allowed,
                std::string_view also_allowed = {}) {
  for (const auto& [key, value] : table) {
    const std::string_view k = key.str();
    if (!also_allowed.empty() && k == also_allowed) continue;
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string options;
    for (const auto& a : allowed) options += (options.empty() ? "" : ", ") + std::string(a);
    if (!also_allowed.empty()) options += ", " + std::string(also_allowed);
    fail(path + "." + std::string(k) + " is not an option (" + options + ")");
  }
}

// The config file's text as a TOML document; a syntax error throws naming its line.
inline toml::table parse_document(std::string_view config_text) {
  try {
    return toml::parse(config_text);
  } catch (const toml::parse_error& e) {
    fail("config: invalid TOML at line " + std::to_string(e.source().begin.line) + ": " +
         std::string(e.description()));
  }
}

inline std::int64_t integer(const toml::node& node, const std::string& option, std::int64_t min,
                            std::int64_t max) {
  const auto* value = node.as_integer();
  if (!value) fail(option + " must be an integer");
  if (value->get() < min) fail(option + " must be >= " + std::to_string(min));
  if (value->get() > max) fail(option + " must be <= " + std::to_string(max));
  return value->get();
}

inline const toml::table& table_at(const toml::node& node, const std::string& option) {
  const auto* table = node.as_table();
  if (!table) fail(option + " must be a table");
  return *table;
}

}  // namespace puente::core::toml_checks
