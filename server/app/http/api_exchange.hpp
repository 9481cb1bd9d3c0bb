#pragma once
// What every route of the HTTP API does the same way: authenticate the bearer token (and take
// from its rate limit), decode the body (JSON, or protobuf for application/x-protobuf), encode
// the answer as the client asked (Accept: application/x-protobuf, else JSON), turn a refusal
// into an error response, and read the path and the query.

#include "app/http/api_routes.hpp"
#include "app/refusal.hpp"
#include "core/access.hpp"
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
net::Response encode(const Request& request, http::status status,
                     const google::protobuf::Message& message);
// Decodes the body into `message`; a refusal if it cannot.
MaybeRefusal decode(const Request& request, google::protobuf::Message& message);
// The responder behind the request's bearer token; nullptr, having answered, if none.
const core::Responder* authenticate(ApiServices& s, const Request& request,
                                    const RouteParams& params, Respond& respond);

// A finite number, or nullopt.
std::optional<double> parse_double(const std::string& text);
// A whole non-negative number, or `fallback` when `text` is empty; nullopt for anything else.
std::optional<std::uint64_t> parse_count(const std::string& text, std::uint64_t fallback);
// The {id} of an incident route, if the server could have made it.
std::optional<std::string> incident_id(const RouteParams& params);
Refusal no_such_incident();
// The query parameter `name`, or "" if absent.
std::string query(const RouteParams& params, std::string_view name);

// Wraps a handler that needs an authenticated responder.
template <typename Handler>
net::RouteHandler authenticated(ApiServices& s, Handler handler) {
  return [&s, handler](Request&& request, RouteParams params, Respond respond) {
    const core::Responder* who = authenticate(s, request, params, respond);
    if (!who) return;
    if (!core::may(*who, core::Action::use_api))
      return respond(refusal_response(
          Refusal::forbidden("a metrics token may read /metrics and nothing else")));
    handler(*who, std::move(request), std::move(params), std::move(respond));
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
