#pragma once
// Which network a bearer token belongs to, of those a node serves (issue 23): the one whose
// token registry knows it, good, expired or revoked alike, so that a stale token's refusal comes
// from its own network and lands in its own audit log. A token no registry knows goes to the
// first network, which refuses it as a node of one network always did.

#include "core/token_registry.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace puente::core {

std::size_t network_of_token(const std::vector<const TokenRegistry*>& registries,
                             std::string_view token, TokenRecord::TimePoint now);

}  // namespace puente::core
