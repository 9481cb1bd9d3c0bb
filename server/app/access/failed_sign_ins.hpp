#pragma once
// What a node does with a token that signed no one in, over HTTP (api_routes.cpp) and in a
// WebSocket hello (responder_socket.cpp) alike: one answer whatever the token was (revoked,
// expired or unknown: refusal.hpp), one failed-sign-ins bucket per client address
// ([rate_limits] failed_sign_ins_per_address, shared by both ways in), and the audit log's
// count of them per address (audit_trail.hpp). A guesser gets no further over a socket than
// over HTTP (issue 15: 938 wrong hellos in 10 s, where HTTP allowed 10).

#include "app/access/audit_trail.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/access/rate_limits.hpp"
#include "app/refusal.hpp"
#include "core/token_registry.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace puente::app {

struct RefusedSignIn {
  Refusal refusal;  // 401 bad_token, or 429 rate_limited once the address is past its limit
  std::optional<std::chrono::milliseconds> retry_after;  // set with rate_limited
};

// `sign_in` failed with a token that was presented (not a missing one); `where` is "http" or
// "socket", `peer_address` the client's IP. `audit`: the token's network's; null for a token no
// network of several knows (core/network_choice.hpp), which is only logged.
RefusedSignIn refuse_sign_in(RateLimiter& limiter, const RateLimits& limits, AuditTrail* audit,
                             const core::SignIn& sign_in, std::string_view where,
                             const std::string& peer_address);

}  // namespace puente::app
