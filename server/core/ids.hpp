#pragma once
// Identifiers for incidents, reports and alerts: a prefix, then 16 random hex digits (64 bits:
// collisions are not a practical concern at the scale of a city's incidents).

#include <cstddef>
#include <string>
#include <string_view>

namespace puente::core {

// How many hex digits follow the prefix: ids of every kind look alike (push_subscription.hpp too).
inline constexpr std::size_t kIdDigits = 16;

std::string new_id(std::string_view prefix);

// Is `text` an id new_id(prefix) could have made: "<prefix>-" and 16 lowercase hex digits? An
// id that names anything else (a Redis key suffix, a path) is refused before any I/O.
bool valid_id(std::string_view prefix, std::string_view text);

}  // namespace puente::core
