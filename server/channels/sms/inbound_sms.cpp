// Text messages posted by Kannel's sms-service (see inbound_sms.hpp).

#include "channels/sms/inbound_sms.hpp"

#include "channels/sms/callback_query.hpp"
#include "core/responder_phones.hpp"
#include "core/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace puente::sms {

namespace {

constexpr std::size_t kMaxGatewayIdBytes = 64;

ParsedInboundSms refused_message(std::string error) { return {std::nullopt, std::move(error)}; }

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The charset of a Content-Type ('text/plain; charset="UTF-16BE"'), lowercase; "" if none.
std::string charset_of(std::string_view content_type) {
  const std::string lower = lowercase(content_type);
  const auto at = lower.find("charset=");
  if (at == std::string::npos) return {};
  std::string value = lower.substr(at + 8);
  value = value.substr(0, value.find(';'));
  std::erase(value, '"');
  std::erase(value, ' ');
  return value;
}

std::optional<std::string> utf8_from(std::string_view bytes, std::string_view charset) {
  if (charset.empty() || charset == "utf-8" || charset == "utf8") {
    // Kept as it came; invalid bytes read as U+FFFD wherever the text is read (core/utf8.hpp).
    return std::string(bytes);
  }
  if (charset == "utf-16be" || charset == "ucs-2" || charset == "ucs2")
    return core::utf16be_to_utf8(bytes);
  if (charset == "iso-8859-1" || charset == "latin1") {
    std::string out;
    for (const char c : bytes) core::append_utf8(out, static_cast<unsigned char>(c));
    return out;
  }
  return std::nullopt;
}

}  // namespace

ParsedInboundSms parse_inbound_sms(std::string_view target, std::string_view content_type,
                                   std::string_view body, const core::ResponderPhones& phones) {
  const auto query = callback_query(target);
  if (!query) return refused_message("the query is malformed or names a parameter twice");

  InboundSms sms;
  const auto from = value_or_empty(*query, "from");
  if (from.empty()) return refused_message("from (%p, the sender) is missing");
  sms.from_hash = phones.hash_of_number(from);
  if (sms.from_hash.empty()) return refused_message("from (%p) is not a phone number");

  // The post's body, else a get-url's text=%a.
  const bool posted = !body.empty();
  const std::string_view raw = posted ? body : value_or_empty(*query, "text");
  if (raw.size() > kMaxInboundBytes)
    return refused_message("the message is longer than " + std::to_string(kMaxInboundBytes) +
                           " bytes");
  std::string charset = posted ? charset_of(content_type) : std::string();
  if (posted && charset.empty()) charset = lowercase(value_or_empty(*query, "charset"));
  auto text = utf8_from(raw, charset);
  if (!text) return refused_message("the charset is not UTF-8, UTF-16BE or ISO-8859-1");
  sms.text = std::move(*text);

  sms.gateway_id = value_or_empty(*query, "id");
  if (sms.gateway_id.size() > kMaxGatewayIdBytes) return refused_message("id (%I) is too long");
  if (const auto at = value_or_empty(*query, "time"); !at.empty()) {
    std::int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(at.data(), at.data() + at.size(), seconds);
    if (ec != std::errc() || end != at.data() + at.size() || seconds < 0)
      return refused_message("time (%T) is not a Unix time");
    sms.at_unix = seconds;
  }
  return {std::move(sms), {}};
}

}  // namespace puente::sms
