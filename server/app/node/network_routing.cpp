// Which network a request or a hello is for (network_routing.hpp).
#include "app/node/network_routing.hpp"

#include "app/node/node_parts.hpp"
#include "core/authorization_header.hpp"
#include "core/clock.hpp"
#include "core/network_choice.hpp"

namespace puente::app {

RequestNetwork network_of_request(const std::vector<std::unique_ptr<NetworkParts>>& networks,
                                  const std::vector<const core::TokenRegistry*>& registries,
                                  const net::Request& request) {
  const auto header = request[net::http::field::authorization];
  const std::string_view authorization(header.data(), header.size());
  if (authorization.empty() || networks.size() < 2) return {};
  if (auto token = core::authorization_credentials(authorization, "Bearer")) {
    auto chosen = std::make_shared<core::NetworkSignIn>(
        core::sign_in_to_networks(registries, *token, core::Clock::now()));
    return {chosen->network, std::move(chosen)};
  }
  if (auto capability = core::authorization_credentials(authorization, "Capability")) {
    const auto now = core::Clock::now();
    for (std::size_t i = 0; i < networks.size(); ++i)
      if (auto key = networks[i]->ack_key->key(); key && key->verify(*capability, now)) return {i};
    return {};
  }
  for (std::size_t i = 0; i < networks.size(); ++i)
    if (networks[i]->sms_credentials && networks[i]->sms_credentials->authorizes(authorization))
      return {i};
  return {};
}

}  // namespace puente::app
