#pragma once
// How a route reads its request's body into its message: binary protobuf when the Content-Type
// says application/x-protobuf, else JSON by the proto3 mapping (puente/v1/json.hpp), unknown
// fields refused. Alone so the decoder can be fuzzed as the node runs it
// (tests/fuzz/http_body.cpp).

#include "app/refusal.hpp"
#include "net/http_types.hpp"

#include <google/protobuf/message.h>

#include <string_view>

namespace puente::app::api {

inline constexpr std::string_view kProtobufType = "application/x-protobuf";

// Decodes the body into `message`; a refusal if it cannot.
MaybeRefusal decode(const net::Request& request, google::protobuf::Message& message);

}  // namespace puente::app::api
