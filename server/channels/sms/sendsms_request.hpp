#pragma once
// One text message as Kannel's smsbox takes it: GET /cgi-bin/sendsms with the query
//
//   username, password   the sendsms-user (gateway_credentials.hpp)
//   from                 the network's sender (its own number or a sender id)
//   to                   the responder's number, E.164
//   text                 the message in UTF-8, with charset=UTF-8
//   coding=2             when the text is UCS-2 (core::sms_length): Kannel then sends 16-bit
//                        units; without it Kannel converts the UTF-8 to GSM-7
//   dlr-mask, dlr-url    which delivery reports to send back, and where (delivery_report.hpp)
//   smsc                 optional: the smsc-id to send through
//
// The query holds the sendsms password and a phone number: the target this builds must never
// reach a log line. Every value is percent-encoded but for the unreserved characters.

#include <string>
#include <string_view>

namespace puente::sms {

struct GatewayCredentials;

// Kannel's dlr-mask bits: 1 delivered to the phone, 2 not delivered, 4 buffered by the SMSC,
// 8 accepted by the SMSC, 16 rejected by the SMSC.
inline constexpr int kDlrDelivered = 1;
inline constexpr int kDlrFailed = 2;
inline constexpr int kDlrBuffered = 4;
inline constexpr int kDlrSmscAccepted = 8;
inline constexpr int kDlrSmscRejected = 16;
inline constexpr int kDlrAll = 31;

struct OutboundSms {
  std::string to;       // E.164: never logged
  std::string text;     // UTF-8
  std::string dlr_url;  // with Kannel's placeholders (delivery_report.hpp); empty: no reports
  int dlr_mask = kDlrAll;
};

struct SendsmsSender {
  std::string from;  // the sender Kannel puts on the text; required by smsbox without global-sender
  std::string smsc;  // the smsc-id to route through; empty: Kannel's routing
};

// "/cgi-bin/sendsms?username=...": the request target. Holds secrets: never log it.
std::string sendsms_target(const GatewayCredentials& credentials, const SendsmsSender& sender,
                           const OutboundSms& sms);

// RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - . _ ~.
std::string percent_encoded(std::string_view text);

}  // namespace puente::sms
