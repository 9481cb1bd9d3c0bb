#pragma once
// Which of a node's networks a request is for (issue 23). A token belongs to one network
// (network_config.hpp refuses a roster token two networks share), so the network is the one
// whose token registry knows the bearer token (core/network_choice.hpp). A phone's
// ack capability is its network's whose ack key verifies it; Kannel's Basic credentials are
// their network's gateway's. Anything else (no credentials, a token no network knows) goes to
// the first network, which answers the node-wide routes (/healthz, /readyz) and refuses the rest
// as it always did.

#include "net/http_types.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace puente::app {

struct NetworkParts;

// The index of the network `request` is for, by its Authorization header.
std::size_t network_of_request(const std::vector<std::unique_ptr<NetworkParts>>& networks,
                               const net::Request& request);

}  // namespace puente::app
