#pragma once
// The node's rate limits, as [rate_limits] in config/puented.toml sets them (see rate_limiter.hpp).

#include "core/token_bucket.hpp"

#include <map>
#include <string>

namespace puente::app {

// Each: requests a second (0: no limit) and the burst a full bucket lets through at once.
struct RateLimits {
  core::RateLimit reports_per_token{1, 20};              // POST /v1/reports, reports over a socket
  core::RateLimit requests_per_token{20, 200};           // every other authenticated request
  core::RateLimit requests_per_address{50, 400};         // every HTTP request and WebSocket upgrade
  core::RateLimit failed_sign_ins_per_address{0.2, 10};  // bad, expired or revoked tokens
  // Per token on one HTTP route ("POST /v1/acks"), on top of the limit above that covers it:
  // a network narrows what it sees abused. By default only address search, which costs the
  // network's geocoder a search each (Nominatim's own servers allow one a second): 1 a second,
  // 10 at once, per token.
  std::map<std::string, core::RateLimit, std::less<>> per_route{{"POST /v1/geocode", {1, 10}}};
};

}  // namespace puente::app
