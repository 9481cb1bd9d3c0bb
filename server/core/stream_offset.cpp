#include "core/stream_offset.hpp"

#include <charconv>
#include <limits>

namespace puente::core {

namespace {

std::optional<std::uint64_t> parse_number(std::string_view digits) {
  std::uint64_t value = 0;
  if (digits.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<StreamOffset> StreamOffset::parse(std::string_view text) {
  auto dash = text.find('-');
  auto ms = parse_number(text.substr(0, dash));
  if (!ms) return std::nullopt;
  if (dash == std::string_view::npos) return StreamOffset{*ms, 0};
  auto seq = parse_number(text.substr(dash + 1));
  if (!seq) return std::nullopt;
  return StreamOffset{*ms, *seq};
}

StreamOffset StreamOffset::before_time(std::uint64_t ms) {
  // No stream id is 0-0 (Redis refuses it), so {0, 0} is before everything.
  if (ms == 0) return {};
  return {ms - 1, std::numeric_limits<std::uint64_t>::max()};
}

std::string StreamOffset::str() const { return std::to_string(ms) + "-" + std::to_string(seq); }

}  // namespace puente::core
