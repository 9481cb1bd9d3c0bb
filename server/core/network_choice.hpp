#pragma once
// Which network a bearer token belongs to, of those a node serves (issue 23): the one whose
// token registry knows it, good, expired or revoked alike (or issued to someone who has since
// left its roster), so that a stale token's refusal comes from its own network and lands in its
// own audit log. A token no registry knows belongs to no network: it is refused by the first,
// as a node of one network always refused it, but audited in none (no network's admin should
// read another's guessers, nor anyone's typo). The sign-in is done once and handed on: the
// network's routes and sockets use it rather than hashing the token again.

#include "core/token_registry.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace puente::core {

struct NetworkSignIn {
  std::size_t network = 0;  // the token's network; the first when no network knows it
  bool known = false;       // false: no network knows the token, it belongs to none
  SignIn sign_in;           // as that network's registry answered
};

NetworkSignIn sign_in_to_networks(const std::vector<const TokenRegistry*>& registries,
                                  std::string_view token, TokenRecord::TimePoint now);

}  // namespace puente::core
