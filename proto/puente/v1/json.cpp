#include "puente/v1/json.hpp"

#include "puente/v1/json_duplicates.hpp"
#include "puente/v1/json_printer.hpp"
#include "puente/v1/json_reader.hpp"
#include "puente/v1/utf8.hpp"

#include <google/protobuf/util/json_util.h>

namespace puente::wire {

namespace {

// The parser's words quote the input around the fault: bytes that need not be UTF-8 (or are cut
// mid-character), which protobuf's printer passes through into the error body, so that a client
// could not parse the error it was sent. Each byte that starts no valid sequence becomes '?'.
std::string valid_utf8(std::string text) {
  for (std::size_t i = 0; i < text.size();) {
    if (const auto length = utf8_sequence_length(text, i)) {
      i += length;
    } else {
      text[i++] = '?';
    }
  }
  return text;
}

}  // namespace

std::string to_json(const google::protobuf::Message& message) {
  if (auto printed = print_json(message)) return std::move(*printed);
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  // Printing a message we built ourselves cannot fail; an empty object is the safe fallback.
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) return "{}";
  return out;
}

std::string from_json(std::string_view json, google::protobuf::Message& message,
                      UnknownFields unknown) {
  message.Clear();
  if (read_json(json, message)) return {};  // it declines a repeated key, among others
  message.Clear();
  if (auto key = first_duplicate_key(json))
    return valid_utf8("the key \"" + *key + "\" is given twice");
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = unknown == UnknownFields::skip;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (status.ok()) return {};
  std::string why(status.message());
  return why.empty() ? "malformed JSON" : valid_utf8(std::move(why));
}

}  // namespace puente::wire
