#include "app/api_routes.hpp"

#include "app/failed_sign_ins.hpp"
#include "app/wire_views.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/on_call.hpp"
#include "puente/v1/json.hpp"

#include <boost/beast/http.hpp>

#include <charconv>
#include <cmath>

namespace puente::app {

namespace http = boost::beast::http;
using net::Request;
using net::Respond;
using net::RouteParams;

namespace {

constexpr std::string_view protobuf_type = "application/x-protobuf";
constexpr std::uint64_t audit_page = 1000;  // entries per GET /v1/admin/audit

net::Response refusal_response(const Refusal& r) {
  auto response = net::error_response(static_cast<http::status>(r.status), r.code, r.message);
  if (r.status == 401) response.set(http::field::www_authenticate, "Bearer");
  return response;
}

net::Response encode(const Request& request, http::status status, const google::protobuf::Message& message) {
  if (request[http::field::accept].find(protobuf_type) != std::string_view::npos) {
    net::Response response{status, 11};
    response.set(http::field::content_type, protobuf_type);
    response.body() = message.SerializeAsString();
    return response;
  }
  return net::json_response(status, wire::to_json(message));
}

// Decodes the body into `message`; a refusal if it cannot.
MaybeRefusal decode(const Request& request, google::protobuf::Message& message) {
  if (request[http::field::content_type].starts_with(protobuf_type)) {
    if (!message.ParseFromString(request.body()))
      return Refusal{400, "bad_protobuf", "the body is not a valid " + message.GetTypeName()};
    return std::nullopt;
  }
  if (request.body().empty()) return Refusal{400, "bad_json", "the body is empty; expected a JSON object"};
  if (auto why = wire::from_json(request.body(), message); !why.empty()) return Refusal{400, "bad_json", why};
  return std::nullopt;
}

// The responder behind the request's bearer token; a refusal if none. The token travels only
// in the Authorization header: never in a URL, where logs and browser history would keep it.
const core::Responder* authenticate(ApiServices& s, const Request& request, const RouteParams& params,
                                    Respond& respond) {
  auto header = request[http::field::authorization];
  constexpr std::string_view scheme = "Bearer ";
  core::SignIn sign_in{nullptr, {}, core::SignInFailure::missing};
  if (!header.empty()) {
    sign_in.failure = core::SignInFailure::unknown;
    if (header.size() > scheme.size() && header.substr(0, scheme.size()) == scheme)
      sign_in = s.tokens.sign_in(header.substr(scheme.size()), core::Clock::now());
  }
  if (sign_in.who) {
    // Chosen by the route that matched, never by the raw target ("/v1/reports?x" is the same route).
    auto wait = s.limiter.take_request(params.route, sign_in.token_id, s.rate_limits);
    if (!wait) return sign_in.who;
    respond(rate_limited_response(*wait));
    return nullptr;
  }
  // A request with no token at all is a client that has not signed in, not a failed sign-in.
  if (*sign_in.failure == core::SignInFailure::missing) {
    respond(refusal_response(sign_in_refusal(*sign_in.failure)));
    return nullptr;
  }
  auto refused = refuse_sign_in(s.limiter, s.rate_limits, s.audit, sign_in, "http", params.peer_address);
  respond(refused.retry_after ? rate_limited_response(*refused.retry_after) : refusal_response(refused.refusal));
  return nullptr;
}

// Wraps a handler that needs an authenticated responder.
template <typename Handler>
net::RouteHandler authenticated(ApiServices& s, Handler handler) {
  return [&s, handler](Request&& request, RouteParams params, Respond respond) {
    const core::Responder* who = authenticate(s, request, params, respond);
    if (!who) return;
    if (!core::may(*who, core::Action::use_api))
      return respond(refusal_response(Refusal::forbidden("a metrics token may read /metrics and nothing else")));
    handler(*who, std::move(request), std::move(params), std::move(respond));
  };
}

// The callback a service answers through: a refusal, or `status` with the message.
template <typename Message>
auto answer(std::shared_ptr<Request> request, Respond respond, http::status status = http::status::ok) {
  return [request = std::move(request), respond = std::move(respond), status](MaybeRefusal refusal, Message message) {
    if (refusal) return respond(refusal_response(*refusal));
    respond(encode(*request, status, message));
  };
}

// A finite number: from_chars also reads "nan", which every range comparison lets through.
std::optional<double> parse_double(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// A whole non-negative number, or `fallback` when `text` is empty; nullopt for anything else.
std::optional<std::uint64_t> parse_count(const std::string& text, std::uint64_t fallback) {
  if (text.empty()) return fallback;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The {id} of an incident route, if the server could have made it: anything else (a Redis key's
// suffix, "inc-1:acks") names no incident and never reaches the store.
std::optional<std::string> incident_id(const RouteParams& params) {
  auto it = params.path.find("id");
  if (it == params.path.end() || !core::valid_id("inc", it->second)) return std::nullopt;
  return it->second;
}

Refusal no_such_incident() { return Refusal::not_found("no such incident"); }

std::string query(const RouteParams& params, std::string_view name) {
  auto it = params.query.find(name);
  return it == params.query.end() ? std::string() : it->second;
}

void add_health_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/healthz", [&s](Request&&, RouteParams, Respond respond) {
    respond(net::json_response(http::status::ok, R"({"status":"ok","node":")" + s.node_id + "\"}"));
  });
  router.add(http::verb::get, "/readyz", [&s](Request&&, RouteParams, Respond respond) {
    if (s.store_reachable()) return respond(net::json_response(http::status::ok, R"({"status":"ready"})"));
    // Degraded, not down: reports and acks are still accepted into the journal.
    respond(net::error_response(http::status::service_unavailable, "degraded",
                                "Redis is not reachable; " + std::to_string(s.outbox.waiting()) +
                                    " reports and acks wait in this node's journal"));
  });
  // The counters show live when raids are reported and how many answer: an admin's token or a
  // scraper's (role "metrics") only. Prometheus sends it (`authorization: credentials_file`).
  router.add(http::verb::get, "/metrics", [&s](Request&& request, RouteParams params, Respond respond) {
    const core::Responder* who = authenticate(s, request, params, respond);
    if (!who) return;
    if (!core::may(*who, core::Action::read_metrics))
      return respond(refusal_response(Refusal::forbidden("only an admin or the metrics role may read /metrics")));
    net::Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain; version=0.0.4");
    response.body() = s.metrics.render();
    respond(std::move(response));
  });
}

void add_incident_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/reports",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams, Respond respond) {
               v1::Report report;
               if (auto refusal = decode(request, report)) {
                 s.metrics.reports_rejected.inc();
                 return respond(refusal_response(*refusal));
               }
               auto req = std::make_shared<Request>(std::move(request));
               s.outbox.submit_report(who, std::move(report), [&who, req, respond = std::move(respond)](Outbox::ReportResult r) {
                 auto& result = r.result;
                 if (result.refusal) return respond(refusal_response(*result.refusal));
                 if (r.queued) return respond(encode(*req, http::status::accepted, result.receipt));
                 redact_for(who, result.receipt);
                 respond(encode(*req, result.created ? http::status::created : http::status::ok, result.receipt));
               });
             }));
  router.add(http::verb::get, "/v1/incidents",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.list(who, query(params, "status"), query(params, "neighborhood"),
                               answer<v1::IncidentList>(req, std::move(respond)));
             }));
  router.add(http::verb::get, "/v1/incidents/{id}",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.view(who, *id, answer<v1::Incident>(req, std::move(respond)));
             }));
  // Added before "/v1/incidents/{id}/{step}": the router takes the first pattern that matches.
  router.add(http::verb::post, "/v1/incidents/{id}/evidence",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               // No body, or an empty one ({}, as the CLI sends): the mark has nothing to say.
               v1::IncidentAction action;
               if (!request.body().empty()) {
                 if (auto refusal = decode(request, action)) return respond(refusal_response(*refusal));
                 if (!action.text().empty() || action.has_location())
                   return respond(refusal_response({400, "unexpected_field", "marking evidence takes no text or location"}));
               }
               auto req = std::make_shared<Request>(std::move(request));
               s.evidence.mark(who, *id, answer<v1::Incident>(req, std::move(respond)));
             }));
  router.add(http::verb::post, "/v1/incidents/{id}/{step}",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               auto step = core::parse_incident_step(params.path["step"]);
               if (!step) return respond(refusal_response(Refusal::not_found("no such incident action")));
               v1::IncidentAction action;
               // An action may come with no body at all: the alert then gets its default text.
               if (!request.body().empty())
                 if (auto refusal = decode(request, action)) return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.dispatch.advance(who, *id, *step, action, answer<v1::Incident>(req, std::move(respond)));
             }));
  router.add(http::verb::post, "/v1/acks",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams, Respond respond) {
               v1::Ack ack;
               if (auto refusal = decode(request, ack)) return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.outbox.submit_ack(who, std::move(ack), [req, respond = std::move(respond)](Outbox::AckResult r) {
                 if (r.refusal) return respond(refusal_response(*r.refusal));
                 respond(encode(*req, r.queued ? http::status::accepted : http::status::created, r.ack));
               });
             }));
}

void add_geography_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/v1/neighborhoods",
             authenticated(s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
               v1::NeighborhoodList list;
               for (const auto& n : s.rules.geo.neighborhoods()) *list.add_neighborhoods() = to_wire(n);
               respond(encode(request, http::status::ok, list));
             }));
  // The outlines the pages draw. Behind a token like the rest of the geography; the ETag
  // lets a phone keep its copy ("private": no shared cache keeps what came with a token).
  router.add(http::verb::get, "/v1/neighborhoods/map",
             authenticated(s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
               respond(s.neighborhood_map.answer(request, "private, no-cache"));
             }));
  // The tiles to draw under it, if the network has any (map_tiles.hpp); an empty object if not.
  router.add(http::verb::get, "/v1/neighborhoods/map/tiles",
             authenticated(s, [&s](const core::Responder&, Request&& request, RouteParams, Respond respond) {
               respond(encode(request, http::status::ok, to_wire(s.map_tiles)));
             }));
  router.add(http::verb::get, "/v1/neighborhoods/locate",
             authenticated(s, [&s](const core::Responder&, Request&& request, RouteParams params, Respond respond) {
               auto lat = parse_double(query(params, "lat"));
               auto lon = parse_double(query(params, "lon"));
               if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180)
                 return respond(refusal_response({400, "bad_location", "lat and lon must be numbers in range"}));
               const auto* n = s.rules.geo.locate(*lat, *lon);
               if (!n) return respond(refusal_response({404, "outside_coverage", "no neighborhood holds that point"}));
               respond(encode(request, http::status::ok, to_wire(*n)));
             }));
}

// Availability set with no length lasts this long: a night's work.
constexpr std::chrono::hours default_availability{8};
constexpr int max_availability_minutes = 24 * 60;

// Who is on call at `now` (for `only`, or every neighborhood that has someone), the standby
// pool and the dispatchers.
v1::OnCall on_call_now(const NetworkRules& rules, const std::string& only, std::chrono::system_clock::time_point now,
                       const std::set<std::string>& available) {
  v1::OnCall on_call;
  std::vector<std::string> all;
  for (const auto& n : rules.geo.neighborhoods()) {
    all.push_back(n.slug);
    if (!only.empty() && n.slug != only) continue;
    auto here = core::on_call_for(rules.roster, n.slug, now, rules.zone, available);
    if (here.empty() && only.empty()) continue;
    auto* entry = on_call.add_neighborhoods();
    entry->set_neighborhood(n.slug);
    for (const auto* r : here) *entry->add_responders() = to_wire(*r);
  }
  for (const auto* r : core::standby_pool(rules.roster, all, now, rules.zone, available))
    *on_call.add_standby() = to_wire(*r);
  for (const auto* r : core::dispatchers_on_call(rules.roster, now, rules.zone, available))
    *on_call.add_dispatchers() = to_wire(*r);
  *on_call.mutable_at() = core::to_timestamp(now);
  on_call.set_time_zone(rules.zone.name());
  return on_call;
}

// Lists, once each, the responders of the answer who hold a live socket now.
void mark_connected(v1::OnCall& on_call, const std::set<std::string>& connected) {
  std::set<std::string> listed;
  auto note = [&](const v1::Responder& r) {
    if (connected.count(r.id()) && listed.insert(r.id()).second) on_call.add_connected(r.id());
  };
  for (const auto& entry : on_call.neighborhoods())
    for (const auto& r : entry.responders()) note(r);
  for (const auto& r : on_call.standby()) note(r);
  for (const auto& r : on_call.dispatchers()) note(r);
}

void add_roster_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::get, "/v1/roster/on-call",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               if (!core::may(who, core::Action::watch_board))
                 return respond(refusal_response(Refusal::forbidden("only dispatchers may see who is on call")));
               auto only = query(params, "neighborhood");
               if (!only.empty() && !s.rules.geo.find(only))
                 return respond(refusal_response({400, "unknown_neighborhood", "no neighborhood \"" + only + "\""}));
               auto req = std::make_shared<Request>(std::move(request));
               auto now = std::chrono::system_clock::now();
               s.store.available(now, [&s, req, only, now, respond = std::move(respond)](store::Outcome outcome,
                                                                                        std::set<std::string> available) mutable {
                 if (outcome != store::Outcome::ok) return respond(refusal_response(Refusal::unavailable()));
                 auto on_call = on_call_now(s.rules, only, now, available);
                 s.presence.connected(now, [req, on_call = std::move(on_call), respond = std::move(respond)](
                                               store::Outcome outcome, std::set<std::string> connected) mutable {
                   if (outcome != store::Outcome::ok) return respond(refusal_response(Refusal::unavailable()));
                   mark_connected(on_call, connected);
                   respond(encode(*req, http::status::ok, on_call));
                 });
               });
             }));
  router.add(http::verb::post, "/v1/me/availability",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams, Respond respond) {
               v1::Availability availability;
               if (auto refusal = decode(request, availability)) return respond(refusal_response(*refusal));
               if (availability.minutes() < 0 || availability.minutes() > max_availability_minutes)
                 return respond(refusal_response({400, "bad_minutes", "minutes must be between 0 and 1440"}));
               std::optional<std::chrono::system_clock::time_point> until;
               if (availability.available())
                 until = std::chrono::system_clock::now() +
                         (availability.minutes() ? std::chrono::minutes(availability.minutes())
                                                 : std::chrono::duration_cast<std::chrono::minutes>(default_availability));
               auto req = std::make_shared<Request>(std::move(request));
               s.store.set_available(who.id, until, [&who, req, availability, until, respond = std::move(respond)](bool ok) mutable {
                 if (!ok) return respond(refusal_response(Refusal::unavailable()));
                 availability.set_responder_id(who.id);
                 if (until) *availability.mutable_until() = core::to_timestamp(*until);
                 respond(encode(*req, http::status::ok, availability));
               });
             }));
}

}  // namespace

void add_token_routes(net::Router& router, ApiServices& s) {
  router.add(http::verb::post, "/v1/admin/tokens",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams, Respond respond) {
               v1::TokenRequest token_request;
               if (auto refusal = decode(request, token_request)) return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.issue(who, token_request,
                                     answer<v1::IssuedToken>(req, std::move(respond), http::status::created));
             }));
  router.add(http::verb::get, "/v1/admin/tokens",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.list(who, query(params, "responder"), answer<v1::TokenList>(req, std::move(respond)));
             }));
  router.add(http::verb::get, "/v1/admin/audit",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               if (!core::may(who, core::Action::administer))
                 return respond(refusal_response(Refusal::forbidden("only admins read the audit log")));
               auto after = parse_count(query(params, "after"), 0);
               auto limit = parse_count(query(params, "limit"), audit_page);
               if (!after || !limit || *limit == 0 || *limit > audit_page)
                 return respond(refusal_response(
                     {400, "bad_range", "after is a sequence number; limit is 1 to " + std::to_string(audit_page)}));
               auto req = std::make_shared<Request>(std::move(request));
               s.audit_log.read(*after, *limit, [req, respond = std::move(respond)](store::Outcome outcome,
                                                                                   std::vector<v1::AuditEntry> entries) {
                 if (outcome != store::Outcome::ok) return respond(refusal_response(Refusal::unavailable()));
                 v1::AuditLog log;
                 for (auto& entry : entries) *log.add_entries() = std::move(entry);
                 respond(encode(*req, http::status::ok, log));
               });
             }));
  router.add(http::verb::post, "/v1/admin/tokens/{id}/revoke",
             authenticated(s, [&s](const core::Responder& who, Request&& request, RouteParams params, Respond respond) {
               auto req = std::make_shared<Request>(std::move(request));
               s.token_service.revoke(who, params.path["id"], answer<v1::IssuedToken>(req, std::move(respond)));
             }));
}

void add_api_routes(net::Router& router, ApiServices& services) {
  add_health_routes(router, services);
  add_incident_routes(router, services);
  add_geography_routes(router, services);
  add_roster_routes(router, services);
  add_token_routes(router, services);
}

}  // namespace puente::app
