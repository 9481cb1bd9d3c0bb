#pragma once
// The HTTP vocabulary shared by the net layer and the services behind it.

#include <boost/beast/http.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace puente::core {
struct NetworkSignIn;  // core/network_choice.hpp
}  // namespace puente::core

namespace puente::net {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Hands the response back to the connection. Call it exactly once, from any thread.
using Respond = std::function<void(Response)>;

struct RouteParams {
  std::map<std::string, std::string, std::less<>> path;   // "{id}" segments by name
  std::map<std::string, std::string, std::less<>> query;  // percent-decoded
  std::string target_path;                                // the whole path, percent-decoded
  std::string peer_address;                               // the client's IP address, as text
  std::string
      route;  // the route that matched: "POST /v1/incidents/{id}/evidence"; empty for the fallback
  // A node of several networks signs the bearer token in to find the request's network (issue
  // 23, app/node/network_routing.hpp) and hands the sign-in on here, so the route does not sign
  // in again; null otherwise.
  std::shared_ptr<const core::NetworkSignIn> bearer;
};

using RouteHandler = std::function<void(Request&& request, RouteParams params, Respond respond)>;

// A response with a JSON body.
Response json_response(http::status status, std::string body);
// {"error": {"code": code, "message": message}} with `status`.
Response error_response(http::status status, std::string_view code, std::string_view message);

// The response's start line and fields, and the blank line that ends them: the bytes Beast's
// serializer writes before the body (not for a chunked body, whose framing Beast adds). A
// response written as these and its body, two plain buffers, cost ~20,000 instructions less than
// Beast's serializer walking its views over the same pieces (a report's answer, issue 22).
std::string response_head(const Response& response);

// The Content-Security-Policy of every answer, pages and API alike: this origin's scripts,
// styles, images, fonts and connections only (the WebSocket included), no inline code, never
// framed. `tile_origin` ("https://tiles.example.org"), when not empty, is let into img-src and
// nowhere else: the map tiles a network configured ([web] tiles_url). Throws
// std::invalid_argument for an origin that could smuggle a directive in (a space, ';', ',').
std::string content_security_policy(std::string_view tile_origin = {});

// The headers every answer goes out with: `policy` (content_security_policy()), no MIME
// sniffing, and no Referer (a page's address would say who is looking at what).
void add_security_headers(Response& response, std::string_view policy);

}  // namespace puente::net
