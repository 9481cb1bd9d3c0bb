#pragma once
// Maps a method and a path to a handler. Patterns are literal segments and "{name}"
// placeholders ("/v1/incidents/{id}/confirm"); the query string is parsed for the handler.
// A path that matches no pattern is 404; one that matches with another method is 405.

#include "net/http_types.hpp"

#include <string>
#include <vector>

namespace puente::net {

class Router {
 public:
  void add(http::verb method, std::string pattern, RouteHandler handler);
  void dispatch(Request&& request, Respond respond) const;

 private:
  struct Route {
    http::verb method;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace puente::net
