#include "net/http_types.hpp"

#include "puente/v1/json.hpp"
#include "puente/v1/puente.pb.h"

#include <stdexcept>

namespace puente::net {

Response json_response(http::status status, std::string body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response error_response(http::status status, std::string_view code, std::string_view message) {
  v1::ErrorBody error;
  error.set_code(std::string(code));
  error.set_message(std::string(message));
  return json_response(status, "{\"error\":" + wire::to_json(error) + "}");
}

std::string content_security_policy(std::string_view tile_origin) {
  if (tile_origin.find_first_of(" \t\r\n;,'\"") != std::string_view::npos)
    throw std::invalid_argument("not an origin for a Content-Security-Policy: " +
                                std::string(tile_origin));
  std::string images = "img-src 'self' data:";
  if (!tile_origin.empty()) images += " " + std::string(tile_origin);
  return "default-src 'self'; script-src 'self'; style-src 'self'; " + images +
         "; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
         "form-action 'self'; frame-ancestors 'none'";
}

void add_security_headers(Response& response, std::string_view policy) {
  response.set("Content-Security-Policy", policy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set(http::field::x_frame_options, "DENY");
}

}  // namespace puente::net
