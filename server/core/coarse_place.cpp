// coarse_place (declared in alert_templates.hpp, beside the fields it fills): a place as an
// alert may show it, apart from the templates' loading and rendering.
#include "core/alert_templates.hpp"

#include <string>
#include <string_view>

namespace puente::core {

std::string coarse_place(std::string_view place) {
  // Drop every number with a decimal point and 3+ digits after it, sign included.
  std::string kept;
  for (std::size_t i = 0; i < place.size();) {
    std::size_t j = i;
    if (place[j] == '-' || place[j] == '+') ++j;
    const std::size_t int_start = j;
    while (j < place.size() && std::isdigit(static_cast<unsigned char>(place[j]))) ++j;
    if (j > int_start && j < place.size() && place[j] == '.') {
      std::size_t k = j + 1;
      while (k < place.size() && std::isdigit(static_cast<unsigned char>(place[k]))) ++k;
      if (k - j - 1 >= 3) {
        i = k;
        continue;
      }
    }
    // Not a coordinate: keep the characters scanned (at least one).
    const std::size_t end = std::max(j, i + 1);
    kept.append(place.substr(i, end - i));
    i = end;
  }
  // Tidy what removal left: a run of blanks and separators becomes one (", " if it held a comma
  // or semicolon, else " "), none at the ends or just inside brackets; empty brackets go.
  const auto separator = [](char c) { return c == ' ' || c == ',' || c == ';'; };
  std::string tidy;
  bool in_run = false, run_had_comma = false;
  for (char c : kept) {
    if (separator(c)) {
      in_run = true;
      run_had_comma = run_had_comma || c != ' ';
      continue;
    }
    if (in_run && !tidy.empty() && tidy.back() != '(' && c != ')')
      tidy += run_had_comma ? ", " : " ";
    in_run = run_had_comma = false;
    tidy.push_back(c);
    if (tidy.size() >= 2 && tidy.compare(tidy.size() - 2, 2, "()") == 0) {
      tidy.resize(tidy.size() - 2);
      while (!tidy.empty() && separator(tidy.back())) tidy.pop_back();
    }
  }
  return tidy;
}

}  // namespace puente::core
