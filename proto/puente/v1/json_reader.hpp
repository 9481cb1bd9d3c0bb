#pragma once
// Reads proto3 JSON into a message by walking it with reflection: the requests a node parses
// (reports, acks, socket messages) take this way, and come out as protobuf's own parser
// (util::JsonStringToMessage) would fill them.
//
// Why not protobuf's: it turns the JSON into a stream of events, writes binary through a type
// resolver and parses that back; under a flood of reports it was a tenth of a node's CPU.
//
// The reader takes what requests hold: objects of known fields (by their JSON or proto name),
// strings, integers (64-bit ones quoted too, as they print), doubles, booleans, enums by name,
// nested and repeated messages. Anything else (null, a map, a timestamp or another well-known
// type, a double or 32-bit integer in quotes, "-0", an unknown field, a duplicate key, two
// fields of one oneof, malformed JSON) it declines, and from_json asks protobuf, whose answer
// (and error message) stands.

#include <google/protobuf/message.h>

#include <string_view>

namespace puente::wire {

// Fills `message` (which must be empty) from `json`; false if it declined, the message then in
// any state.
bool read_json(std::string_view json, google::protobuf::Message& message);

}  // namespace puente::wire
