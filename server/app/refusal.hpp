#pragma once
// Why a service said no: the HTTP status, a stable code and words for a person. The same
// refusal goes out as an HTTP error body or a WebSocket {"error": ...} message.

#include "core/input_rules.hpp"
#include "core/token_registry.hpp"

#include <functional>
#include <optional>
#include <string>

namespace puente::app {

struct Refusal {
  unsigned status;
  std::string code;
  std::string message;

  static Refusal bad_input(const core::InputError& e) { return {400, e.code, e.message}; }
  static Refusal forbidden(std::string message) { return {403, "forbidden", std::move(message)}; }
  static Refusal not_found(std::string message) { return {404, "not_found", std::move(message)}; }
  static Refusal unavailable() {
    return {503, "store_unavailable", "the alert store is unreachable; nothing was changed, retry"};
  }
};

using MaybeRefusal = std::optional<Refusal>;

// How a service answers: a refusal, or the result.
template <typename T>
using Done = std::function<void(MaybeRefusal, T)>;

// Why a bearer token signed no one in (401), in words the client can act on. A revoked, an
// expired and an unknown token get one and the same answer, over HTTP and a socket: telling
// them apart would tell a guesser that a token once existed (issue 15). Why it failed is kept
// for the operators, in the audit log (audit_trail.hpp).
inline Refusal sign_in_refusal(core::SignInFailure failure) {
  if (failure == core::SignInFailure::missing)
    return {401, "missing_token", "send Authorization: Bearer <token>"};
  return {401, "bad_token", "the token is not valid; ask an admin for a new one"};
}

}  // namespace puente::app
