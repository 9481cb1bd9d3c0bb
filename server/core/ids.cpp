#include "core/ids.hpp"

#include <cstdio>
#include <random>

namespace puente::core {

std::string new_id(std::string_view prefix) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char digits[kIdDigits + 1];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(generator()));
  return std::string(prefix) + "-" + digits;
}

bool valid_id(std::string_view prefix, std::string_view text) {
  if (text.size() != prefix.size() + 1 + kIdDigits || text.substr(0, prefix.size()) != prefix ||
      text[prefix.size()] != '-')
    return false;
  for (char c : text.substr(prefix.size() + 1))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace puente::core
