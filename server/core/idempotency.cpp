#include "core/idempotency.hpp"

#include "core/base64url.hpp"
#include "core/bearer_token.hpp"

#include <charconv>

namespace puente::core {

namespace {

// Each field as "<length>:<bytes>", so no two different contents share a text.
void add(std::string& text, std::string_view field) {
  text += std::to_string(field.size());
  text += ':';
  text += field;
}

// As "%.17g" prints it (to_chars with a precision is printf's style, without its format
// string parsed at each call: two per report).
void add(std::string& text, double number) {
  char digits[32];
  const auto end =
      std::to_chars(digits, digits + sizeof digits, number, std::chars_format::general, 17).ptr;
  add(text, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

// What a report says, as one text.
std::string content_text(const v1::Report& report) {
  std::string text = "report/1 ";
  add(text, std::to_string(report.kind()));
  add(text, report.location().lat());
  add(text, report.location().lon());
  add(text, report.location().description());
  add(text, report.description());
  add(text, report.language());
  add(text, report.neighborhood());
  add(text, report.caller_hash());
  return text;
}

std::string content_text(const v1::Ack& ack) {
  std::string text = "ack/1 ";
  add(text, ack.incident_id());
  add(text, ack.alert_id());
  add(text, std::to_string(ack.state()));
  add(text, ack.note());
  return text;
}

ContentDigest digest_of(const std::string& text) {
  const auto sum = sha256(text);
  return {base64url_encode(std::string_view(sum).substr(0, 16)),
          to_hex(reinterpret_cast<const unsigned char*>(sum.data()), sum.size())};
}

}  // namespace

ContentDigest content_digest(const v1::Report& report) { return digest_of(content_text(report)); }

ContentDigest content_digest(const v1::Ack& ack) { return digest_of(content_text(ack)); }

}  // namespace puente::core
