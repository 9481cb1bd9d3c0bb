// smsbox's sendsms answers, typed (see sendsms_result.hpp).

#include "channels/sms/sendsms_result.hpp"

#include <ostream>

namespace puente::sms {

namespace {

// Kannel's answer, kept short and printable for a log line. smsbox's answers name no number
// ("0: Accepted for delivery", "Authorization failed for sendsms"), but digits are masked all
// the same: a future Kannel that echoed the receiver would not put it in puented's log.
std::string loggable(std::string_view body) {
  constexpr std::size_t kMaxDetail = 120;
  std::string out;
  for (const char c : body.substr(0, kMaxDetail)) {
    if (c >= '0' && c <= '9' && out.size() > 0) {
      out += '#';
    } else {
      out += (c >= 0x20 && c < 0x7F) ? c : ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string_view to_string(SendsmsOutcome outcome) {
  switch (outcome) {
    case SendsmsOutcome::accepted: return "accepted";
    case SendsmsOutcome::queued: return "queued";
    case SendsmsOutcome::refused: return "refused";
    case SendsmsOutcome::gateway_down: return "gateway_down";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, SendsmsOutcome outcome) {
  return out << to_string(outcome);
}

SendsmsResult result_of_answer(int status, std::string_view body) {
  SendsmsResult result;
  result.status = status;
  result.detail = loggable(body);
  if (status == 202) {
    // smsbox's status codes at the start of the body: 0 accepted, 3 queued for later.
    result.outcome = body.starts_with("3:") ? SendsmsOutcome::queued : SendsmsOutcome::accepted;
  } else if (status >= 500) {
    result.outcome = SendsmsOutcome::gateway_down;
  } else {
    result.outcome = SendsmsOutcome::refused;
  }
  return result;
}

}  // namespace puente::sms
