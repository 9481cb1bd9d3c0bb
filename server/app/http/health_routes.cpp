// Liveness, readiness and the metrics: what a load balancer and Prometheus ask.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "core/access.hpp"
#include "core/metrics.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace puente::app::api {

namespace {

// Why one network is not ready for traffic; nullopt when it is.
std::optional<std::string> network_not_ready(const ApiServices& s) {
  if (!s.store_reachable())
    // Degraded, not down: reports and acks are still accepted into the journal.
    return "Redis is not reachable; " + std::to_string(s.outbox.waiting()) +
           " reports and acks wait in this node's journal";
  // Until the node holds the network's ack key, a notification's buttons would get 503.
  if (s.push.enabled() && !s.ack_key.key())
    return "Web Push's ack key is not loaded from Redis yet";
  return std::nullopt;
}

// Why the node is not ready for traffic; nullopt when it is. /readyz answers it, and /metrics
// says it as puente_ready, so an alert fires on what the load balancer sees. With several
// networks the node is ready only when every network is (on a Redis Cluster each network's
// slot may be on another shard), and the answer names each network that is not.
std::optional<std::string> not_ready_because(const ApiServices& s) {
  if (s.other_networks.empty()) return network_not_ready(s);
  std::vector<const ApiServices*> all{&s};
  all.insert(all.end(), s.other_networks.begin(), s.other_networks.end());
  std::string why;
  for (const auto* network : all)
    if (auto reason = network_not_ready(*network))
      why += (why.empty() ? "network " : "; network ") + network->network_id + ": " + *reason;
  if (why.empty()) return std::nullopt;
  return why;
}

// Whether any network's SMS gateway is down (texts queued meanwhile).
bool sms_degraded(const ApiServices& s) {
  if (s.sms_gateway_down && s.sms_gateway_down()) return true;
  return std::any_of(s.other_networks.begin(), s.other_networks.end(), [](const auto* network) {
    return network->sms_gateway_down && network->sms_gateway_down();
  });
}

// The gauges of the node's state, computed when scraped.
std::string node_state_metrics(const ApiServices& s) {
  std::string out;
  core::render_gauge(out, "puente_ready", "1 if /readyz answers 200, else 0.",
                     not_ready_because(s) ? 0 : 1);
  core::render_gauge(out, "puente_redis_up", "1 if the node's Redis command link is up, else 0.",
                     s.store_reachable() ? 1 : 0);
  core::render_gauge(out, "puente_journal_waiting",
                     "Reports and acks in this node's journal waiting for Redis.",
                     static_cast<long long>(s.outbox.waiting()));
  return out;
}

}  // namespace

void add_health_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/healthz", [&s](Request&&, RouteParams, Respond respond) {
    respond(net::json_response(http::status::ok, R"({"status":"ok","node":")" + s.node_id + "\"}"));
  });
  router.add(http::verb::get, "/readyz", [&s](Request&&, RouteParams, Respond respond) {
    if (auto why = not_ready_because(s))
      return respond(
          net::error_response(http::status::service_unavailable, "degraded", std::move(*why)));
    // smsbox down: texts wait in Redis and go when it is back; the node still takes reports and
    // sends alerts, so it stays in the pool (200), naming the channel that is degraded.
    if (sms_degraded(s))
      return respond(net::json_response(
          http::status::ok,
          R"({"status":"degraded","degraded":["sms"],"message":"the SMS gateway (smsbox) is not answering; texts are queued and go when it is back"})"));
    respond(net::json_response(http::status::ok, R"({"status":"ready"})"));
  });
  // The counters show live when raids are reported and how many answer: an admin's token or a
  // scraper's (role "metrics") only. Prometheus sends it (`authorization: credentials_file`).
  router.add(http::verb::get, "/metrics",
             [&s](Request&& request, RouteParams params, Respond respond) {
               auto caller = authenticate(s, request, params, respond);
               if (!caller) return;
               if (!core::may(caller->who, core::Action::read_metrics))
                 return respond(refusal_response(
                     Refusal::forbidden("only an admin or the metrics role may read /metrics")));
               net::Response response{http::status::ok, 11};
               response.set(http::field::content_type, "text/plain; version=0.0.4");
               response.body() = s.metrics.render() + node_state_metrics(s);
               respond(std::move(response));
             });
}

}  // namespace puente::app::api
