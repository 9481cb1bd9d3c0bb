// Which network a bearer token belongs to (network_choice.hpp).
#include "core/network_choice.hpp"

namespace puente::core {

std::size_t network_of_token(const std::vector<const TokenRegistry*>& registries,
                             std::string_view token, TokenRecord::TimePoint now) {
  for (std::size_t i = 0; i < registries.size(); ++i) {
    const auto sign_in = registries[i]->sign_in(token, now);
    if (sign_in.who || sign_in.failure != SignInFailure::unknown) return i;
  }
  return 0;
}

}  // namespace puente::core
