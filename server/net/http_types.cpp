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

std::string response_head(const Response& response) {
  const unsigned version = response.version();
  const auto reason = response.reason();
  std::size_t size = 17 + reason.size();  // "HTTP/1.1 200 " and CRLF, twice
  for (const auto& field : response) size += field.name_string().size() + field.value().size() + 4;
  std::string head;
  head.reserve(size);
  head += "HTTP/";
  head += static_cast<char>('0' + version / 10);
  head += '.';
  head += static_cast<char>('0' + version % 10);
  head += ' ';
  const unsigned code = response.result_int();  // three digits, as Beast writes it
  head += static_cast<char>('0' + code / 100 % 10);
  head += static_cast<char>('0' + code / 10 % 10);
  head += static_cast<char>('0' + code % 10);
  head += ' ';
  head.append(reason.data(), reason.size());
  head += "\r\n";
  for (const auto& field : response) {
    head.append(field.name_string().data(), field.name_string().size());
    head += ": ";
    head.append(field.value().data(), field.value().size());
    head += "\r\n";
  }
  head += "\r\n";
  return head;
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
