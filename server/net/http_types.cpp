#include "net/http_types.hpp"

#include "puente/v1/json.hpp"
#include "puente/v1/puente.pb.h"

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

}  // namespace puente::net
