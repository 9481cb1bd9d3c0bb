#pragma once
// Reading what a server answers. puente::wire::from_json refuses unknown fields, which is right
// for what a server accepts but wrong for what a client reads: a newer server may add fields,
// and an older client must keep working. Requests are still written with puente::wire::to_json.

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

namespace puente::client {

// Fills `message` from JSON, skipping fields it does not know (and enum values it does not
// know). Returns an empty string on success, else what was wrong.
std::string from_json_lenient(std::string_view json, google::protobuf::Message& message);

}  // namespace puente::client
