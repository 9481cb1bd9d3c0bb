#include "puente/v1/json.hpp"

#include "puente/v1/json_printer.hpp"

#include <google/protobuf/util/json_util.h>

namespace puente::wire {

namespace {

// The length of the UTF-8 sequence at text[i], or 0 if none starts there (RFC 3629, 4).
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = at(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // a surrogate
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || at(1) < low || at(1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (at(k) < 0x80 || at(k) > 0xBF) return 0;
  return length;
}

// The parser's words quote the input around the fault: bytes that need not be UTF-8 (or are cut
// mid-character), which protobuf's printer passes through into the error body, so that a client
// could not parse the error it was sent. Each byte that starts no valid sequence becomes '?'.
std::string valid_utf8(std::string text) {
  for (std::size_t i = 0; i < text.size();) {
    if (const auto length = sequence_length(text, i)) {
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
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = unknown == UnknownFields::skip;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (status.ok()) return {};
  std::string why(status.message());
  return why.empty() ? "malformed JSON" : valid_utf8(std::move(why));
}

}  // namespace puente::wire
