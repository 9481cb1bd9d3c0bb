#pragma once
// What became of one sendsms request, typed for the caller that decides what follows (the send
// queue of the wiring: retry later, mark failed, hand over to the next rung).
//
//   accepted      202 "0: Accepted for delivery": bearerbox took it for an SMSC
//   queued        202 "3: Queued for later delivery": bearerbox keeps it (no SMSC connected
//                 now) and sends it when one is; not to be sent again
//   refused       4xx (403 "Authorization failed for sendsms", 400 a missing or bad argument):
//                 this message will not go as it is; sending it again is pointless
//   gateway_down  no answer (connection refused, a timeout), or 5xx: smsbox is not there or
//                 cannot reach bearerbox; the same message, later
//
// Any other answer (a 2xx that is not 202, a 3xx) reads as refused: Kannel sends none of them.

#include <iosfwd>
#include <string>
#include <string_view>

namespace puente::sms {

enum class SendsmsOutcome { accepted, queued, refused, gateway_down };

std::string_view to_string(SendsmsOutcome outcome);
std::ostream& operator<<(std::ostream& out, SendsmsOutcome outcome);  // for test messages

struct SendsmsResult {
  SendsmsOutcome outcome = SendsmsOutcome::gateway_down;
  int status = 0;      // the HTTP status; 0 if none came
  std::string detail;  // Kannel's answer or the network error, for a log line: never a number
};

// The result of smsbox's answer: its status and body.
SendsmsResult result_of_answer(int status, std::string_view body);

}  // namespace puente::sms
