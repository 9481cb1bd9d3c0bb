#include "net/router.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <optional>

namespace puente::net {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.emplace_back(path.substr(start, end - start));
    start = end;
  }
  return segments;
}

// The segments of a request's path, each percent-decoded; nullopt for a path with more than one
// spelling. Percent-encoded letters are only another spelling of the same path ("/v1/%72eports"
// is "/v1/reports"), so they are decoded; but an empty segment ("//v1/reports",
// "/v1/reports/"), a dot segment or an encoded "/" would make two different paths match one
// route, and a rate limit or a log keyed on the path could be sidestepped: those are refused.
std::optional<std::vector<std::string>> request_segments(
    boost::urls::segments_encoded_view encoded) {
  std::vector<std::string> segments;
  for (auto segment : encoded) {
    auto decoded = segment.decode();
    if (decoded.empty() || decoded == "." || decoded == ".." ||
        decoded.find('/') != std::string::npos)
      return std::nullopt;
    segments.push_back(std::move(decoded));
  }
  return segments;
}

bool is_placeholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           RouteParams& params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_placeholder(pattern[i]))
      params.path[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    else if (pattern[i] != path[i])
      return false;
  }
  return true;
}

}  // namespace

void Router::add(http::verb method, std::string pattern, RouteHandler handler) {
  auto name = std::string(http::to_string(method)) + " " + pattern;
  routes_.push_back({method, split_path(pattern), std::move(handler), std::move(name)});
}

bool Router::has(std::string_view name) const {
  return std::any_of(routes_.begin(), routes_.end(),
                     [name](const Route& route) { return route.name == name; });
}

RouteHandler Router::handler(std::string_view name) const {
  for (const auto& route : routes_)
    if (route.name == name) return route.handler;
  return {};
}

std::vector<std::string> Router::names() const {
  std::vector<std::string> all;
  for (const auto& route : routes_) all.push_back(route.name);
  return all;
}

void Router::dispatch(Request&& request, Respond respond, std::string peer_address) const {
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target) {
    respond(error_response(http::status::bad_request, "bad_target",
                           "the request target is not a valid path"));
    return;
  }
  RouteParams params;
  params.peer_address = std::move(peer_address);
  for (auto param : target->params()) params.query[param.key] = param.value;
  params.target_path = target->encoded_path().decode();
  auto segments = request_segments(target->encoded_segments());
  if (!segments) {
    respond(error_response(
        http::status::bad_request, "bad_target",
        "the path has an empty or dot segment, or an encoded \"/\"; send it as /a/b"));
    return;
  }
  const auto& path = *segments;

  bool path_known = false;
  for (const auto& route : routes_) {
    RouteParams candidate = params;
    if (!match(route.segments, path, candidate)) continue;
    path_known = true;
    if (route.method != request.method()) continue;
    candidate.route = route.name;
    route.handler(std::move(request), std::move(candidate), std::move(respond));
    return;
  }
  if (!path_known && fallback_ && request.method() == http::verb::get)
    return fallback_(std::move(request), std::move(params), std::move(respond));
  if (path_known)
    respond(error_response(http::status::method_not_allowed, "method_not_allowed",
                           "this path does not accept " + std::string(request.method_string())));
  else
    respond(error_response(http::status::not_found, "not_found", "no such route"));
}

}  // namespace puente::net
