#pragma once
// Rate limits of one node ([rate_limits] in config/puented.toml): token buckets per signed-in
// token and per client address, so one flooding phone, script or stolen token cannot crowd out
// the hotline, and a guesser of tokens is slowed to a crawl. Past a limit a request gets 429
// with Retry-After and changes nothing.
//
// The buckets live in this node's memory: with N nodes behind a balancer a client may get up to
// N times the rate, and behind a proxy every client has the proxy's address (limit per address
// at the proxy then, and set the per-address limits here to 0). Full buckets are forgotten, so
// the table holds only the clients that are busy right now.
//
// With several networks (issue 23) each network limits through its own view of the node's
// table (for_network): its per-token buckets are its own, since two networks may each have a
// responder `admin` (token id "roster-admin"), while per-address buckets stay the node's: an
// address is one client whichever network it tries.

#include "app/access/rate_limits.hpp"
#include "app/refusal.hpp"
#include "core/token_bucket.hpp"
#include "net/http_types.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace puente::app {

// 429 "rate_limited", saying when to come back (rounded up to whole seconds).
Refusal rate_limited(std::chrono::milliseconds retry_after);
// The same as an HTTP answer, with Retry-After.
net::Response rate_limited_response(std::chrono::milliseconds retry_after);

class RateLimiter {
 public:
  RateLimiter();  // a table of its own

  // The same table, with the per-token buckets of network `network_id` apart from every other
  // network's ("" keeps them as the node's own: a node of one network).
  RateLimiter for_network(const std::string& network_id) const;

  // nullopt: go ahead (a token was taken); else how long until the next request is allowed.
  // `key` is taken as given: an address, shared by every network.
  std::optional<std::chrono::milliseconds> take(std::string_view bucket, std::string_view key,
                                                const core::RateLimit& limit);
  // The buckets one request of `token_id` on `route` ("POST /v1/acks", as RouteParams::route
  // spells it) takes: reports' own or every other request's, then the route's own if `limits`
  // names it. An HTTP request and the same request over a WebSocket take the same ones.
  std::optional<std::chrono::milliseconds> take_request(std::string_view route,
                                                        std::string_view token_id,
                                                        const RateLimits& limits);

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t sweep_above = 10000;  // buckets before the full ones are dropped

  struct Entry {
    core::TokenBucket bucket;
    core::RateLimit limit;
  };
  struct Table {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> buckets;  // "<bucket> <key>"
    std::size_t sweep_at = sweep_above;
  };
  static void sweep(Table& table, Clock::time_point now);

  std::shared_ptr<Table> table_;
  std::string network_;  // prefixed to the per-token keys; "" for the node's own
};

}  // namespace puente::app
