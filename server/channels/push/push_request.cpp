#include "channels/push/push_request.hpp"

#include "core/base64url.hpp"

#include <openssl/evp.h>

#include <boost/beast/http/field.hpp>

#include <algorithm>

namespace puente::push {

namespace http = boost::beast::http;

std::string_view to_string(Urgency urgency) {
  switch (urgency) {
    case Urgency::very_low: return "very-low";
    case Urgency::low: return "low";
    case Urgency::normal: return "normal";
    case Urgency::high: return "high";
  }
  return "normal";
}

bool valid_topic(std::string_view topic) {
  return !topic.empty() && topic.size() <= 32 &&
         std::all_of(topic.begin(), topic.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

std::string topic_for(std::string_view key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // EVP_Digest does not read the pointer when the size is 0, but give it a valid one anyway.
  EVP_Digest(key.empty() ? "" : key.data(), key.size(), digest, &size, EVP_sha256(), nullptr);
  return core::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(digest), 24));  // 32 characters
}

PushRequest make_push_request(const PushEndpoint& endpoint, std::string body,
                              const PushOptions& options, std::string_view authorization) {
  PushRequest request{http::verb::post, endpoint.target, 11};
  // Host names the port only when it is not the default one, as the origin does.
  const bool ipv6 = endpoint.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
  if (endpoint.port != "443") host += ":" + endpoint.port;
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "puented");
  request.set("TTL", std::to_string(options.ttl.count()));
  request.set("Urgency", to_string(options.urgency));
  if (!options.topic.empty()) request.set("Topic", options.topic);
  request.set(http::field::content_type, "application/octet-stream");
  request.set(http::field::content_encoding, "aes128gcm");
  request.set(http::field::authorization, authorization);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

}  // namespace puente::push
