// Which network a request or a hello is for (network_routing.hpp).
#include "app/node/network_routing.hpp"

#include "app/node/node_parts.hpp"
#include "core/authorization_header.hpp"
#include "core/clock.hpp"
#include "core/network_choice.hpp"

namespace puente::app {

std::size_t network_of_request(const std::vector<std::unique_ptr<NetworkParts>>& networks,
                               const net::Request& request) {
  const auto header = request[net::http::field::authorization];
  const std::string_view authorization(header.data(), header.size());
  if (authorization.empty() || networks.size() < 2) return 0;
  if (auto token = core::authorization_credentials(authorization, "Bearer")) {
    std::vector<const core::TokenRegistry*> registries;
    for (const auto& n : networks) registries.push_back(&n->tokens);
    return core::network_of_token(registries, *token, core::Clock::now());
  }
  if (auto capability = core::authorization_credentials(authorization, "Capability")) {
    const auto now = core::Clock::now();
    for (std::size_t i = 0; i < networks.size(); ++i)
      if (auto key = networks[i]->ack_key->key(); key && key->verify(*capability, now)) return i;
    return 0;
  }
  for (std::size_t i = 0; i < networks.size(); ++i)
    if (networks[i]->sms_credentials && networks[i]->sms_credentials->authorizes(authorization))
      return i;
  return 0;
}

}  // namespace puente::app
