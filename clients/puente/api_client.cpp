#include "api_client.hpp"

#include "puente/v1/json.hpp"

#include <boost/json.hpp>
#include "puente/v1/puente.pb.h"

namespace puente::cli {

namespace http = boost::beast::http;

std::string ApiError::describe() const {
  std::string text = what();
  text += " (" + code_;
  if (status_ != 0) text += ", HTTP " + std::to_string(status_);
  return text + ")";
}

void require_network(const GlobalOptions& options) {
  if (options.network.empty()) return;
  GlobalOptions asking = options;
  asking.network.clear();  // this very question must not ask again
  ApiClient api(asking);
  const auto answer = boost::json::parse(api.get("/v1/network").body);
  const std::string id(answer.at("id").as_string());
  const std::string name(answer.at("name").as_string());
  if (id == options.network) return;
  // An operator holding two networks' tokens must never report into the wrong one.
  throw std::runtime_error(
      (id.empty() ? "this server serves one network, \"" + name + "\", with no network id"
                  : "the token belongs to network \"" + id + "\" (" + name + ")") +
      ", not \"" + options.network + "\" (--network): nothing was done");
}

ApiClient::ApiClient(const GlobalOptions& options)
    : token_(options.token()), http_(options.server_address(), options.timeout()) {
  require_network(options);
}

client::HttpResponse ApiClient::get(std::string_view target) {
  return checked(http_.request(http::verb::get, target, {}, token_));
}

client::HttpResponse ApiClient::post(std::string_view target,
                                     const google::protobuf::Message& body) {
  return checked(http_.request(http::verb::post, target, wire::to_json(body), token_));
}

client::HttpResponse ApiClient::checked(client::HttpResponse answer) {
  if (answer.ok()) return answer;
  v1::ServerMessage error;  // {"error": {...}} is a ServerMessage with only `error` set
  if (puente::wire::from_json(answer.body, error, puente::wire::UnknownFields::skip).empty() &&
      error.has_error() && !error.error().message().empty())
    throw ApiError(answer.status, error.error().code(), error.error().message());
  // Not our JSON (a proxy's page, say): show the start of it.
  std::string said = answer.reason.empty() ? "the server answered an error" : answer.reason;
  if (!answer.body.empty()) said += ": " + answer.body.substr(0, 200);
  while (!said.empty() && (said.back() == '\n' || said.back() == '\r')) said.pop_back();
  throw ApiError(answer.status, "http", said);
}

void ApiClient::parse(const client::HttpResponse& answer, google::protobuf::Message& message) {
  if (auto why = puente::wire::from_json(answer.body, message, puente::wire::UnknownFields::skip);
      !why.empty())
    throw std::runtime_error("unexpected answer from the server (" + why + ")");
}

}  // namespace puente::cli
