#pragma once
// The CLI's side of the HTTP API: one request with the token, an error answer turned into an
// ApiError, a success answer parsed leniently into the expected message.

#include "global_options.hpp"
#include "http_client.hpp"

#include <google/protobuf/message.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace puente::cli {

// The server said no: {"error": {"code", "message"}} with a 4xx/5xx status (or, on the
// WebSocket, an error answer to the hello, with status 0).
class ApiError : public std::runtime_error {
 public:
  ApiError(unsigned status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  unsigned status() const { return status_; }
  const std::string& code() const { return code_; }
  // "<message> (<code>, HTTP <status>)", as printed after "error: ".
  std::string describe() const;

 private:
  unsigned status_;
  std::string code_;
};

// With --network set: throws std::runtime_error, having changed nothing, unless the server says
// the token belongs to that network (GET /v1/network); an ApiError or client::ConnectionError if
// it cannot say. Without it: nothing.
void require_network(const GlobalOptions& options);

class ApiClient {
 public:
  // Reads the token now, so a missing one is reported before anything is sent, and checks the
  // token's network (require_network) before the first command is sent.
  explicit ApiClient(const GlobalOptions& options);

  // The answer to a 2xx; throws ApiError for an error answer, client::ConnectionError if the
  // server cannot be reached.
  client::HttpResponse get(std::string_view target);
  client::HttpResponse post(std::string_view target, const google::protobuf::Message& body);

  // Fills `message` from a success answer; throws std::runtime_error if it does not parse.
  static void parse(const client::HttpResponse& answer, google::protobuf::Message& message);

 private:
  client::HttpResponse checked(client::HttpResponse answer);

  std::string token_;
  client::HttpClient http_;
};

}  // namespace puente::cli
