#pragma once
// What every route of the HTTP API does the same way: authenticate the bearer token (and take
// from its rate limit), decode the body (JSON, or protobuf for application/x-protobuf), encode
// the answer as the client asked (Accept: application/x-protobuf, else JSON), turn a refusal
// into an error response, and read the path and the query.

#include "app/access/caller.hpp"
#include "app/answer.hpp"
#include "app/http/api_routes.hpp"
#include "app/http/request_body.hpp"
#include "core/access.hpp"
#include "core/ack_capability.hpp"
#include "net/router.hpp"

#include <boost/beast/http.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace puente::app::api {

namespace http = boost::beast::http;
using net::Request;
using net::Respond;
using net::RouteParams;

net::Response refusal_response(const Refusal& r);
// How a command was taken, as HTTP says it: 201 created, 200 repeated, 202 queued.
http::status status_of(Taken taken);
net::Response encode(const Request& request, http::status status,
                     const google::protobuf::Message& message);
// Who sent the request, by its bearer token; nullopt, having answered, if no one. With
// `take_limit` it also takes the route's rate limit; a desk's route leaves that to the desk.
std::optional<Caller> authenticate(ApiServices& s, const Request& request,
                                   const RouteParams& params, Respond& respond,
                                   bool take_limit = true);

// A phone's ack capability (core/ack_capability.hpp), as the service worker sends it, in
// `Authorization: Capability <capability>`: what it grants and who it speaks for.
struct CapabilityCaller {
  Caller caller;  // the capability's responder; token_id "capability <responder id>"
  core::AckCapability capability;
};
// True if the request carries a capability rather than a bearer token.
bool has_capability(const Request& request);
// Who the request's capability speaks for, having taken the route's rate limit (per responder:
// every capability of one responder shares one bucket); nullopt, having answered, if no one:
// 404 push_not_configured, 503 while the node has no key yet, 401 bad_capability (forged,
// expired; taken from the address's failed sign-ins bucket like a bad token), 403
// sender_left_roster.
std::optional<CapabilityCaller> authenticate_capability(ApiServices& s, const Request& request,
                                                        const RouteParams& params, Respond& respond,
                                                        bool take_limit = true);

// A finite number, or nullopt.
std::optional<double> parse_double(const std::string& text);
// A whole non-negative number, or `fallback` when `text` is empty; nullopt for anything else.
std::optional<std::uint64_t> parse_count(const std::string& text, std::uint64_t fallback);
// The {id} of an incident route, if the server could have made it.
std::optional<std::string> incident_id(const RouteParams& params);
Refusal no_such_incident();
Refusal push_not_configured();
// The query parameter `name`, or "" if absent.
std::string query(const RouteParams& params, std::string_view name);

// Wraps a handler that needs an authenticated responder.
template <typename Handler>
net::RouteHandler authenticated(ApiServices& s, Handler handler) {
  return [&s, handler](Request&& request, RouteParams params, Respond respond) {
    auto caller = authenticate(s, request, params, respond);
    if (!caller) return;
    if (!core::may(caller->who, core::Action::use_api))
      return respond(refusal_response(
          Refusal::forbidden("a metrics token may read /metrics and nothing else")));
    handler(caller->who, std::move(request), std::move(params), std::move(respond));
  };
}

// Wraps a handler that needs to know who called, with which token (a desk's: incidents/). With
// `take_limit` false the desk takes the rate limit itself, the same for HTTP and a socket
// (report_desk.hpp, ack_desk.hpp), so it is not taken here.
template <typename Handler>
net::RouteHandler authenticated_caller(ApiServices& s, Handler handler, bool take_limit = true) {
  return [&s, handler, take_limit](Request&& request, RouteParams params, Respond respond) {
    auto caller = authenticate(s, request, params, respond, take_limit);
    if (!caller) return;
    if (!core::may(caller->who, core::Action::use_api))
      return respond(refusal_response(
          Refusal::forbidden("a metrics token may read /metrics and nothing else")));
    handler(*caller, std::move(request), std::move(params), std::move(respond));
  };
}

// The callback a service answers through: a refusal, or `status` with the message.
template <typename Message>
auto answer(std::shared_ptr<Request> request, Respond respond,
            http::status status = http::status::ok) {
  return [request = std::move(request), respond = std::move(respond), status](MaybeRefusal refusal,
                                                                              Message message) {
    if (refusal) return respond(refusal_response(*refusal));
    respond(encode(*request, status, message));
  };
}

}  // namespace puente::app::api
