#pragma once
// A text message from a phone, as Kannel's smsbox posts it to puented's inbound route through
// the sms-service of deploy/kannel (post-url):
//
//   POST <inbound route>?from=%p&to=%P&coding=%c&charset=%C&time=%T&id=%I&smsc=%i
//   Authorization: Basic ...            (the post-url's user:password, gateway_credentials.hpp)
//   Content-Type: text/plain; charset="UTF-8"      (or UTF-16BE for a UCS-2 text)
//   <the message>
//
// A get-url service works too: the message then comes in the query as text=%a (UTF-8).
// %p is the sender, read only to be hashed at once (core::ResponderPhones); what comes out holds
// the hash, never the number. %I is Kannel's id for the message: a post Kannel retries carries
// the same id, so the wiring can take each message once. The text is given back in UTF-8 from
// UTF-8, UTF-16BE (UCS-2 texts; also when smsbox's mo-recode is off) or ISO-8859-1.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {
class ResponderPhones;
}

namespace puente::sms {

struct InboundSms {
  std::string from_hash;     // keyed hash of the sender's number
  std::string text;          // UTF-8
  std::string gateway_id;    // %I: Kannel's message id; empty if the URL does not ask for it
  std::int64_t at_unix = 0;  // %T; 0 if absent
};

struct ParsedInboundSms {
  std::optional<InboundSms> sms;
  std::string error;  // for the 400's JSON body; never quotes a value
};

// A text message longer than this (10 concatenated segments' worth) is refused unread.
inline constexpr std::size_t kMaxInboundBytes = 1600;

// `target` as it came, `content_type` the request's Content-Type ("" if none), `body` the post's
// body ("" for a get-url service).
ParsedInboundSms parse_inbound_sms(std::string_view target, std::string_view content_type,
                                   std::string_view body, const core::ResponderPhones& phones);

}  // namespace puente::sms
