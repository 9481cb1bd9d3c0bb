#pragma once
// What the JSON printer needs to know about a message type, worked out once per type: its
// fields in number order (the order protobuf prints them in), each with its `"jsonName":` key
// already escaped and its enum's names already quoted. Asking the descriptor and
// Reflection::ListFields for this on every message cost about 2,000 instructions a message.
//
// A descriptor of a generated message lives as long as the program, and so does its layout:
// layouts are built on first use under a lock and never change or go away, so any thread may
// read them (the printer runs on every I/O thread).

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace puente::wire {

struct MessageLayout;

// How one field's value is printed.
enum class FieldKind : std::uint8_t {
  int32,
  uint32,
  int64,  // as a string: JavaScript's numbers stop at 2^53
  uint64,
  double_,
  float_,
  bool_,
  enum_,
  string,
  bytes,  // as base64
  message,
};

struct FieldLayout {
  const google::protobuf::FieldDescriptor* field = nullptr;
  std::string key;  // `"jsonName":`
  FieldKind kind = FieldKind::message;
  bool repeated = false;  // and not a map
  bool map = false;
  bool presence = false;  // singular and tracked apart from its value: a message, a oneof member
  const MessageLayout* message = nullptr;  // kind message: its type's (a map's: the entry's)
  // kind enum_: the quoted name of each value numbered 0 to size() - 1, empty where the enum
  // names no value of that number; other numbers are looked up in the descriptor.
  std::vector<std::string> enum_names;
};

struct MessageLayout {
  enum class Form : std::uint8_t {
    fields,     // an object of the fields below
    timestamp,  // google.protobuf.Timestamp, an RFC 3339 string
    declined,   // another well-known type: left to protobuf's printer
  };
  Form form = Form::fields;
  std::vector<FieldLayout> fields;  // by number
};

// The layout of `type`, built on first use. Never null; it lives as long as the program.
const MessageLayout& layout_of(const google::protobuf::Descriptor* type);

}  // namespace puente::wire
