#include "app/node/config_option.hpp"

namespace puente::app::config_option {

std::filesystem::path relative_to(const std::filesystem::path& base, const std::string& value) {
  if (value.empty()) return {};
  std::filesystem::path p(value);
  return p.is_absolute() ? p : base / p;
}

int64_t whole(const toml::table& t, std::string_view path, int64_t fallback, int64_t low,
              int64_t high) {
  auto value = get_or<int64_t>(t, path, fallback);
  if (value < low || value > high)
    throw std::runtime_error("config: " + std::string(path) + " must be between " +
                             std::to_string(low) + " and " + std::to_string(high) + ", not " +
                             std::to_string(value));
  return value;
}

std::chrono::milliseconds millis(const toml::table& t, std::string_view path,
                                 std::chrono::milliseconds d) {
  return std::chrono::milliseconds(whole(t, path, d.count(), 1, a_day_ms));
}

std::chrono::seconds seconds(const toml::table& t, std::string_view path, std::chrono::seconds d) {
  return std::chrono::seconds(whole(t, path, d.count(), 1, ten_years_s));
}

std::size_t bytes(const toml::table& t, std::string_view path, std::size_t d, int64_t low) {
  return static_cast<std::size_t>(whole(t, path, static_cast<int64_t>(d), low, a_gibibyte));
}

std::vector<std::string> strings(const toml::table& t, std::string_view path,
                                 std::vector<std::string> fallback) {
  auto node = t.at_path(path);
  if (!node) return fallback;
  if (!node.is_array())
    throw std::runtime_error("config: " + std::string(path) + " must be a list of strings");
  std::vector<std::string> values;
  for (const auto& item : *node.as_array()) {
    auto text = item.value<std::string>();
    if (!text || text->empty())
      throw std::runtime_error("config: " + std::string(path) +
                               " holds an empty or non-string item");
    values.push_back(*text);
  }
  return values;
}

}  // namespace puente::app::config_option
