#include "app/http/api_exchange.hpp"

#include "app/access/failed_sign_ins.hpp"
#include "core/authorization_header.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/network_choice.hpp"
#include "puente/v1/json.hpp"

#include <charconv>
#include <cmath>

namespace puente::app::api {

net::Response refusal_response(const Refusal& r) {
  auto response = net::error_response(static_cast<http::status>(r.status()), r.code(), r.message());
  if (r.status() == 401)
    response.set(http::field::www_authenticate,
                 r.kind() == RefusalKind::bad_capability ? "Capability" : "Bearer");
  if (auto seconds = r.retry_after_seconds())
    response.set(http::field::retry_after, std::to_string(*seconds));
  return response;
}

http::status status_of(Taken taken) {
  switch (taken) {
    case Taken::created: return http::status::created;
    case Taken::repeated: return http::status::ok;
    case Taken::queued: return http::status::accepted;
  }
  return http::status::ok;
}

net::Response encode(const Request& request, http::status status,
                     const google::protobuf::Message& message) {
  if (request[http::field::accept].find(kProtobufType) != std::string_view::npos) {
    net::Response response{status, 11};
    response.set(http::field::content_type, kProtobufType);
    response.body() = message.SerializeAsString();
    return response;
  }
  return net::json_response(status, wire::to_json(message));
}

// The responder behind the request's bearer token; a refusal if none. The token travels only
// in the Authorization header: never in a URL, where logs and browser history would keep it.
std::optional<Caller> authenticate(ApiServices& s, const Request& request,
                                   const RouteParams& params, Respond& respond, bool take_limit) {
  const auto header = request[http::field::authorization];
  core::SignIn sign_in{nullptr, {}, core::SignInFailure::missing};
  if (params.bearer) {
    sign_in = params.bearer->sign_in;  // the node's, when it chose the network by the token
  } else if (!header.empty()) {
    sign_in.failure = core::SignInFailure::unknown;
    if (auto token = core::authorization_credentials({header.data(), header.size()}, "Bearer"))
      sign_in = s.tokens.sign_in(*token, core::Clock::now());
  }
  if (sign_in.who) {
    Caller caller{*sign_in.who, sign_in.token_id};
    if (!take_limit) return caller;
    // Chosen by the route that matched, never by the raw target ("/v1/reports?x" is the same
    // route).
    auto wait = s.limiter.take_request(params.route, sign_in.token_id, s.rate_limits);
    if (!wait) return caller;
    respond(rate_limited_response(*wait));
    return std::nullopt;
  }
  // A request with no token at all is a client that has not signed in, not a failed sign-in.
  if (*sign_in.failure == core::SignInFailure::missing) {
    respond(refusal_response(sign_in_refusal(*sign_in.failure)));
    return std::nullopt;
  }
  // A token no network of several knows belongs to none: audited in none.
  const bool of_no_network = params.bearer && !params.bearer->known;
  auto refused = refuse_sign_in(s.limiter, s.rate_limits, of_no_network ? nullptr : &s.audit,
                                sign_in, "http", params.peer_address);
  respond(refused.retry_after ? rate_limited_response(*refused.retry_after)
                              : refusal_response(refused.refusal));
  return std::nullopt;
}

namespace {
std::optional<std::string_view> capability_of(const Request& request) {
  const auto header = request[http::field::authorization];
  return core::authorization_credentials({header.data(), header.size()}, "Capability");
}
}  // namespace

bool has_capability(const Request& request) { return capability_of(request).has_value(); }

std::optional<CapabilityCaller> authenticate_capability(ApiServices& s, const Request& request,
                                                        const RouteParams& params, Respond& respond,
                                                        bool take_limit) {
  if (!s.push.enabled()) {
    respond(refusal_response(push_not_configured()));
    return std::nullopt;
  }
  const auto text = capability_of(request);
  if (!text) {
    respond(refusal_response(
        {RefusalKind::bad_capability, "send Authorization: Capability <capability>"}));
    return std::nullopt;
  }
  auto key = s.ack_key.key();
  if (!key) {
    respond(refusal_response(Refusal::unavailable()));
    return std::nullopt;
  }
  auto capability = key->verify(*text, core::Clock::now());
  const core::Responder* who = capability ? s.roster.find(capability->responder_id) : nullptr;
  if (!capability) {
    // A guesser of capabilities is slowed like a guesser of tokens.
    if (auto wait = s.limiter.take("failed-sign-ins", params.peer_address,
                                   s.rate_limits.failed_sign_ins_per_address)) {
      respond(rate_limited_response(*wait));
      return std::nullopt;
    }
    respond(refusal_response(
        {RefusalKind::bad_capability, "the capability is not valid or has expired; open the app"}));
    return std::nullopt;
  }
  if (!who) {
    respond(refusal_response({RefusalKind::sender_left_roster,
                              "the capability's responder is no longer on the roster"}));
    return std::nullopt;
  }
  CapabilityCaller result{Caller{*who, "capability " + who->id}, std::move(*capability)};
  if (take_limit)
    if (auto wait = s.limiter.take_request(params.route, result.caller.token_id, s.rate_limits)) {
      respond(rate_limited_response(*wait));
      return std::nullopt;
    }
  return result;
}

Refusal push_not_configured() {
  return {RefusalKind::push_not_configured,
          "Web Push is not set up on this network ([push] vapid_key_file)"};
}

// A finite number: from_chars also reads "nan", which every range comparison lets through.
std::optional<double> parse_double(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
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

}  // namespace puente::app::api
