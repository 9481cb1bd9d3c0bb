#pragma once
// The proto3 JSON mapping as Puente speaks it: lowerCamelCase out, both spellings in, enums by
// name.

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

namespace puente::wire {

// The message as JSON. Fields at their default value are left out.
std::string to_json(const google::protobuf::Message& message);

// What to do with fields (and enum values) the message does not know. A server refuses them:
// a typo in a report must not silently drop what was said. A client skips them: a newer
// server may add fields, and an older client must keep working.
enum class UnknownFields { refuse, skip };

// Fills `message` from JSON. Returns an empty string on success, else what was wrong, in
// words fit for an error body ("invalid value \"FAST\" for enum field kind"). A key given twice
// in one object is refused (json_duplicates.hpp), where protobuf's own parser takes the last.
std::string from_json(std::string_view json, google::protobuf::Message& message,
                      UnknownFields unknown = UnknownFields::refuse);

}  // namespace puente::wire
