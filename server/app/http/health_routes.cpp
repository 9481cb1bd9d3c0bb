// Liveness, readiness and the metrics: what a load balancer and Prometheus ask.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "core/access.hpp"

namespace puente::app::api {

void add_health_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/healthz", [&s](Request&&, RouteParams, Respond respond) {
    respond(net::json_response(http::status::ok, R"({"status":"ok","node":")" + s.node_id + "\"}"));
  });
  router.add(http::verb::get, "/readyz", [&s](Request&&, RouteParams, Respond respond) {
    // Until the node holds the network's ack key, a notification's buttons would get 503.
    const bool ack_key_missing = s.push.enabled() && !s.ack_key.key();
    // smsbox down: texts wait in Redis and go when it is back; the node still takes reports and
    // sends alerts, so it stays in the pool (200), naming the channel that is degraded.
    const bool sms_down = s.sms_gateway_down && s.sms_gateway_down();
    if (s.store_reachable() && !ack_key_missing && sms_down)
      return respond(net::json_response(
          http::status::ok,
          R"({"status":"degraded","degraded":["sms"],"message":"the SMS gateway (smsbox) is not answering; texts are queued and go when it is back"})"));
    if (s.store_reachable() && !ack_key_missing)
      return respond(net::json_response(http::status::ok, R"({"status":"ready"})"));
    if (s.store_reachable())
      return respond(net::error_response(http::status::service_unavailable, "degraded",
                                         "Web Push's ack key is not loaded from Redis yet"));
    // Degraded, not down: reports and acks are still accepted into the journal.
    respond(net::error_response(http::status::service_unavailable, "degraded",
                                "Redis is not reachable; " + std::to_string(s.outbox.waiting()) +
                                    " reports and acks wait in this node's journal"));
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
               response.body() = s.metrics.render();
               respond(std::move(response));
             });
}

}  // namespace puente::app::api
