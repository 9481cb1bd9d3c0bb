#pragma once
// Kannel's delivery reports, as its smsbox calls the dlr-url puented gave with each text.
//
// The dlr-url puented builds (delivery_report_url) is
//
//   http://<kannel user>:<password>@<callback base>?m=<message id>&s=%d&a=%A&p=%p&t=%T
//
// Kannel fills in, when it calls it: %d the report's type (one dlr-mask bit: 1 delivered,
// 2 not delivered, 4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC), %A the SMSC's
// own answer ("ACK/", or an SMPP receipt "id:... stat:DELIVRD err:000 text:..." whose text is
// the message's first characters), %p the receiver's number, %T the report's Unix time. `m` is
// puented's id for the send, so the report finds its delivery record without a number.
//
// The number (%p) is read only to be hashed at once (core::ResponderPhones), so the wiring can
// check the report is for the phone the record was sent to; the report keeps the hash and
// never the number. The userinfo is turned by Kannel into `Authorization: Basic`, which the
// route checks (GatewayCredentials::authorizes) before anything here runs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {
class ResponderPhones;
}

namespace puente::sms {

struct GatewayCredentials;

enum class DeliveryStatus { delivered, failed, buffered, smsc_accepted, smsc_rejected };

std::string_view to_string(DeliveryStatus status);
// The last word on a text: delivered, failed or rejected (the others are on the way).
bool is_final(DeliveryStatus status);

struct DeliveryReport {
  std::string message_id;  // puented's id for the send (`m`)
  DeliveryStatus status = DeliveryStatus::failed;
  std::string phone_hash;    // keyed hash of %p; empty if the report carried none
  std::int64_t at_unix = 0;  // %T; 0 if absent
  std::string smsc_answer;   // %A, at most 160 bytes: may hold the text's start, never logged
};

// A report, or the reason it is none (for the 400's JSON body; it never quotes a value).
struct ParsedDeliveryReport {
  std::optional<DeliveryReport> report;
  std::string error;
};

// `target` is the request's path and query as it came ("/v1/sms/dlr?m=...&s=8&...").
ParsedDeliveryReport parse_delivery_report(std::string_view target,
                                           const core::ResponderPhones& phones);

// The dlr-url for one send: `callback_base` is puented's delivery-report route as Kannel
// reaches it ("http://127.0.0.1:8080/v1/sms/dlr"); the credentials' userinfo goes in after
// "http://" (or "https://"). `message_id` is letters, digits and "-_" (an id of core/ids).
std::string delivery_report_url(std::string_view callback_base,
                                const GatewayCredentials& credentials, std::string_view message_id);

}  // namespace puente::sms
