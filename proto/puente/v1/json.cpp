#include "puente/v1/json.hpp"

#include <google/protobuf/util/json_util.h>

namespace puente::wire {

std::string to_json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  // Printing a message we built ourselves cannot fail; an empty object is the safe fallback.
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) return "{}";
  return out;
}

std::string from_json(std::string_view json, google::protobuf::Message& message,
                      UnknownFields unknown) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = unknown == UnknownFields::skip;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (status.ok()) return {};
  std::string why(status.message());
  return why.empty() ? "malformed JSON" : why;
}

}  // namespace puente::wire
