#pragma once
// Identifiers for incidents, reports and alerts: a prefix, then 16 random hex digits (64 bits:
// collisions are not a practical concern at the scale of a city's incidents).

#include <string>
#include <string_view>

namespace puente::core {

std::string new_id(std::string_view prefix);

}  // namespace puente::core
