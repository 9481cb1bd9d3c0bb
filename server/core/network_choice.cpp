// Which network a bearer token belongs to (network_choice.hpp).
#include "core/network_choice.hpp"

namespace puente::core {

NetworkSignIn sign_in_to_networks(const std::vector<const TokenRegistry*>& registries,
                                  std::string_view token, TokenRecord::TimePoint now) {
  NetworkSignIn first;
  const PresentedToken presented(token);  // hashed once, whatever the number of networks
  for (std::size_t i = 0; i < registries.size(); ++i) {
    auto sign_in = registries[i]->sign_in(presented, now);
    // A registry knows a token it signs in, or names (expired, revoked, its responder gone).
    if (sign_in.who || !sign_in.token_id.empty()) return {i, true, std::move(sign_in)};
    if (i == 0) first.sign_in = std::move(sign_in);
  }
  return first;
}

}  // namespace puente::core
