#pragma once
// An alert's offset: its Redis stream id, "<milliseconds>-<sequence>". Offsets of one
// neighborhood only grow, so "after" is a comparison of the two numbers, not of the strings
// ("9-0" < "10-0").

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

struct StreamOffset {
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;

  // "1700000000000-3" or a bare "1700000000000" (sequence 0); nullopt for anything else.
  static std::optional<StreamOffset> parse(std::string_view text);
  // The last offset before Unix time `ms` (milliseconds): replaying after it gives every alert
  // written at or after `ms`, as a stream id starts with the time it was added. A time is not
  // an offset: "ms" parsed as one would skip an alert of exactly "ms-0".
  static StreamOffset before_time(std::uint64_t ms);
  std::string str() const;

  auto operator<=>(const StreamOffset&) const = default;
};

}  // namespace puente::core
