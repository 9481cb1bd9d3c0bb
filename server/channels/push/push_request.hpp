#pragma once
// The HTTP request of one push (RFC 8030 §5): POST to the endpoint's path with the encrypted
// body and the headers that tell the push service how to treat it.
//
//   TTL: seconds the service keeps it for a device that is offline (0: now or never)
//   Urgency: very-low | low | normal | high (high wakes a sleeping phone at once)
//   Topic: at most 32 base64url characters; a newer push with the same Topic replaces an
//          undelivered older one (one incident: one notification waiting, the latest)
//   Content-Encoding: aes128gcm; Authorization: vapid t=..., k=...

#include "channels/push/endpoint_guard.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace puente::push {

enum class Urgency { very_low, low, normal, high };

std::string_view to_string(Urgency urgency);

// What a caller says about a push beside its payload.
struct PushOptions {
  std::chrono::seconds ttl{0};
  Urgency urgency = Urgency::normal;
  std::string topic;  // empty: none
};

// RFC 8030 §5.4: up to 32 characters of the URL- and filename-safe base64 alphabet.
bool valid_topic(std::string_view topic);

// A Topic for everything pushed about one incident: the first 24 bytes of SHA-256(`key`),
// base64url (32 characters). Hashed, so the incident id is not shown to the push service.
std::string topic_for(std::string_view key);

using PushRequest = boost::beast::http::request<boost::beast::http::string_body>;

// The request for `endpoint` with the encrypted `body`. The topic must be valid (the sender
// checks it first).
PushRequest make_push_request(const PushEndpoint& endpoint, std::string body,
                              const PushOptions& options, std::string_view authorization);

}  // namespace puente::push
