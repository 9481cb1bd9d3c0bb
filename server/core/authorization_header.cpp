#include "core/authorization_header.hpp"

#include <algorithm>
#include <cctype>

namespace puente::core {

std::optional<std::string_view> authorization_credentials(std::string_view header,
                                                          std::string_view scheme) {
  if (header.size() <= scheme.size() || scheme.empty()) return std::nullopt;
  const auto same_letter = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  if (!std::equal(scheme.begin(), scheme.end(), header.begin(), same_letter)) return std::nullopt;
  auto rest = header.substr(scheme.size());
  // At least one space parts the scheme from the credentials ("Bearerx" is another scheme).
  const auto credentials_start = rest.find_first_not_of(' ');
  if (credentials_start == 0 || credentials_start == std::string_view::npos) return std::nullopt;
  return rest.substr(credentials_start);
}

}  // namespace puente::core
