#include "core/ids.hpp"

#include <cstdio>
#include <random>

namespace puente::core {

std::string new_id(std::string_view prefix) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(generator()));
  return std::string(prefix) + "-" + digits;
}

}  // namespace puente::core
