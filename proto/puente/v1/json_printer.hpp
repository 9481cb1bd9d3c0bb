#pragma once
// Prints a message as proto3 JSON by walking it with reflection, byte for byte as protobuf's
// own printer (util::MessageToJsonString, default options) does, except that map entries come
// sorted by key where protobuf's come in hash order, and that the invisible characters protobuf
// also escapes (U+0080 to U+009F, U+00AD, U+200B to U+200F, U+202A to U+202E, U+2060 to U+206F,
// U+FEFF...) come through as they are: the same JSON value (json_scalars_test.cpp).
//
// Why not protobuf's: it serializes the message to binary, then parses that back through a
// type resolver into a stream of JSON events. Every alert and every answer is printed this
// way; under a flood of reports that round trip was a quarter of a node's CPU.
//
// The printer knows what puente.proto uses: scalars, enums, strings, bytes, nested and
// repeated messages, maps and google.protobuf.Timestamp. Anything else (another well-known
// type, a timestamp outside its valid range) it declines, and to_json asks protobuf instead.

#include <google/protobuf/message.h>

#include <optional>
#include <string>

namespace puente::wire {

// The message as JSON, or nothing if it holds something this printer leaves to protobuf.
std::optional<std::string> print_json(const google::protobuf::Message& message);

}  // namespace puente::wire
