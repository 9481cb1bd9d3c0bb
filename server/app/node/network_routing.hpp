#pragma once
// Which of a node's networks a request is for (issue 23). A token belongs to one network
// (network_config.hpp refuses a roster token two networks share), so the network is the one
// whose token registry knows the bearer token (core/network_choice.hpp); that sign-in goes on
// with the request, so the token is hashed once. A phone's ack capability is its network's
// whose ack key verifies it; Kannel's Basic credentials are their network's gateway's (no two
// networks share them: check_sms_gateways_apart). Anything else (no credentials, a token no
// network knows) goes to the first network, which answers the node-wide routes (/healthz,
// /readyz) and refuses the rest as it always did; a token no network knows is audited in none.

#include "net/http_types.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace puente::core {
class TokenRegistry;
}  // namespace puente::core

namespace puente::app {

struct NetworkParts;

struct RequestNetwork {
  std::size_t index = 0;  // the network the request goes to
  // The bearer token's sign-in, when the request carried one (net::RouteParams::bearer).
  std::shared_ptr<const core::NetworkSignIn> bearer = nullptr;
};

// The network `request` is for, by its Authorization header. `registries`: each network's
// token registry, in the networks' order.
RequestNetwork network_of_request(const std::vector<std::unique_ptr<NetworkParts>>& networks,
                                  const std::vector<const core::TokenRegistry*>& registries,
                                  const net::Request& request);

}  // namespace puente::app
