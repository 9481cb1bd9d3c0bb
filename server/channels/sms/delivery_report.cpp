// Kannel's delivery reports read from the dlr-url's query (see delivery_report.hpp).

#include "channels/sms/delivery_report.hpp"

#include "channels/sms/callback_query.hpp"
#include "channels/sms/gateway_credentials.hpp"
#include "channels/sms/sendsms_request.hpp"
#include "core/responder_phones.hpp"

#include <algorithm>
#include <charconv>

namespace puente::sms {

namespace {

constexpr std::size_t kMaxSmscAnswerBytes = 160;
constexpr std::size_t kMaxMessageIdBytes = 64;

std::optional<std::int64_t> number_of(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool id_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::optional<DeliveryStatus> status_of(std::int64_t type) {
  switch (type) {
    case kDlrDelivered: return DeliveryStatus::delivered;
    case kDlrFailed: return DeliveryStatus::failed;
    case kDlrBuffered: return DeliveryStatus::buffered;
    case kDlrSmscAccepted: return DeliveryStatus::smsc_accepted;
    case kDlrSmscRejected: return DeliveryStatus::smsc_rejected;
  }
  return std::nullopt;
}

ParsedDeliveryReport refused_report(std::string error) { return {std::nullopt, std::move(error)}; }

}  // namespace

std::string_view to_string(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::delivered: return "delivered";
    case DeliveryStatus::failed: return "failed";
    case DeliveryStatus::buffered: return "buffered";
    case DeliveryStatus::smsc_accepted: return "smsc_accepted";
    case DeliveryStatus::smsc_rejected: return "smsc_rejected";
  }
  return "unknown";
}

bool is_final(DeliveryStatus status) {
  return status == DeliveryStatus::delivered || status == DeliveryStatus::failed ||
         status == DeliveryStatus::smsc_rejected;
}

ParsedDeliveryReport parse_delivery_report(std::string_view target,
                                           const core::ResponderPhones& phones) {
  const auto query = callback_query(target);
  if (!query) return refused_report("the query is malformed or names a parameter twice");

  DeliveryReport report;
  report.message_id = value_or_empty(*query, "m");
  if (report.message_id.empty() || report.message_id.size() > kMaxMessageIdBytes ||
      !std::all_of(report.message_id.begin(), report.message_id.end(), id_character))
    return refused_report("m (the message id) is missing or not an id");

  const auto type = number_of(value_or_empty(*query, "s"));
  const auto status = type ? status_of(*type) : std::nullopt;
  if (!status) return refused_report("s (%d, the report type) is not 1, 2, 4, 8 or 16");
  report.status = *status;

  if (const auto phone = value_or_empty(*query, "p"); !phone.empty()) {
    report.phone_hash = phones.hash_of_number(phone);
    if (report.phone_hash.empty()) return refused_report("p (%p) is not a phone number");
  }
  if (const auto at = value_or_empty(*query, "t"); !at.empty()) {
    const auto seconds = number_of(at);
    if (!seconds || *seconds < 0) return refused_report("t (%T) is not a Unix time");
    report.at_unix = *seconds;
  }
  report.smsc_answer = std::string(value_or_empty(*query, "a").substr(0, kMaxSmscAnswerBytes));
  return {std::move(report), {}};
}

std::string delivery_report_url(std::string_view callback_base,
                                const GatewayCredentials& credentials,
                                std::string_view message_id) {
  std::string url(callback_base);
  const auto scheme_end = url.find("://");
  url.insert(scheme_end == std::string::npos ? 0 : scheme_end + 3, credentials.userinfo());
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "m=" + percent_encoded(message_id) + "&s=%d&a=%A&p=%p&t=%T";
  return url;
}

}  // namespace puente::sms
