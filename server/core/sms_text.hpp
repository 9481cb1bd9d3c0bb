#pragma once
// What a text message to one responder says, from the alerts it carries (docs/sms.md). Pure: the
// SMS dispatch renders each alert's body from the templates' [sms] table and hands the parts here.
//
// One alert:   "<body>\n<code> <reply>"                     (core::fit_alert_sms)
// A bundle:    "A) <code> <body>\nB) <code> <body>\n<reply for a bundle>"
//
// Both fit `max_segments` (2): a body too long is cut at a word with "..." (in a bundle the
// longest body first, so each alert keeps its letter, its code and the start of its body). The
// code is the incident's short code (incident_code), so a dispatcher and a responder talking on
// the phone name the same incident.

#include "core/sms_segments.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

// An incident's short code: 4 characters of "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" (no 0, 1, I, O:
// nothing to misread), the same on every node for the same id.
std::string incident_code(std::string_view incident_id);

struct SmsAlertPart {
  std::string code;  // incident_code of its incident
  std::string body;  // the [sms] template rendered in the responder's language
};

// The text for `parts` (one: no letter, `reply`; several: letters A, B, ... as
// core::bundle_letter gives, `bundle_reply`). nullopt if the letters, codes and replies alone do
// not fit: the caller sends fewer alerts in this text.
std::optional<FittedSms> compose_alert_sms(const std::vector<SmsAlertPart>& parts,
                                           std::string_view reply, std::string_view bundle_reply,
                                           std::size_t max_segments = 2);

// The network's send rate as a whole number of texts per window of whole seconds: 5/s is 5 a
// second, 0.2/s is 1 every 5 seconds, 2.5/s is 5 every 2 seconds.
struct SmsRateWindow {
  long long seconds = 1;
  long long texts = 1;
};
SmsRateWindow sms_rate_window(double per_second);

}  // namespace puente::core
