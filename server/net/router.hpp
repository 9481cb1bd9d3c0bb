#pragma once
// Maps a method and a path to a handler. Patterns are literal segments and "{name}"
// placeholders ("/v1/incidents/{id}/confirm"); the query string is parsed for the handler.
// A path has one spelling: its segments are percent-decoded before matching, and a path with an
// empty segment ("//", a trailing "/"), a "." or ".." segment or an encoded "/" is 400
// bad_target. Handlers choose by RouteParams::route, never by the raw target.
// A path that matches no pattern goes to the fallback for GET (the web pages), else 404; one
// that matches with another method is 405.

#include "net/http_types.hpp"

#include <string>
#include <vector>

namespace puente::net {

class Router {
 public:
  void add(http::verb method, std::string pattern, RouteHandler handler);
  // Is there a route for `name`, "METHOD /pattern" as RouteParams::route spells it?
  bool has(std::string_view name) const;
  // Every route's name, in the order added (`puented --routes`, docs/api/openapi.yaml's check).
  std::vector<std::string> names() const;
  // The handler of the route `name` ("POST /v1/acks"); empty if there is none.
  RouteHandler handler(std::string_view name) const;
  // Answers the GETs no pattern matches; RouteParams::target_path holds the decoded path.
  void fallback(RouteHandler handler) { fallback_ = std::move(handler); }
  // `peer_address` (the client's IP) is handed to the handler in RouteParams.
  void dispatch(Request&& request, Respond respond, std::string peer_address = {}) const;

 private:
  struct Route {
    http::verb method;
    std::vector<std::string> segments;
    RouteHandler handler;
    std::string name;  // "POST /v1/incidents/{id}/evidence"
  };
  std::vector<Route> routes_;
  RouteHandler fallback_;
};

}  // namespace puente::net
