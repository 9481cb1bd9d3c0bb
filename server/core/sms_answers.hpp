#pragma once
// What puented texts back to a responder's reply (POST /v1/sms/inbound, docs/sms.md): one line
// confirming what their text did, or saying how to answer. Kannel texts it back as the answer
// to its sms-service post (deploy/kannel: max-messages = 1), so every answer fits one segment
// in GSM-7 (160 characters): the Spanish ones are written without the accents GSM-7 lacks
// (á í ó ú), which would make them UCS-2 and cut them to 70 characters. A unit test holds every
// answer to one GSM-7 segment.

#include "puente/v1/puente.pb.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

enum class SmsAnswer {
  ack_recorded,  // the ack went to the alert (state, letter)
  no_alert,      // an ack, but no text to them within the reply window (or no such letter)
  alert_closed,  // an ack the incident no longer takes (closed, purged, not theirs)
  available,     // available for `hours`
  unavailable,   // not available outside their shifts
  stopped,       // STOP/ALTO: no more texts
  started,       // START: texts again
  help,          // HELP, or (once per reply window) anything else
  try_again,     // the store was unreachable: nothing recorded
};

// "en" or "es": the first of `languages` that is English or Spanish ("es-MX" is Spanish), else
// `fallback`'s, else English.
std::string_view sms_answer_language(const std::vector<std::string>& languages,
                                     std::string_view fallback);

struct SmsAnswerFacts {
  v1::AckState state = v1::ACK_STATE_UNSPECIFIED;  // ack_recorded
  std::optional<char> letter;                      // ack_recorded: the bundle letter named
  int hours = 0;                                   // available
};

// The text, in `language` ("en" or "es"; anything else is English).
std::string sms_answer(SmsAnswer answer, std::string_view language,
                       const SmsAnswerFacts& facts = {});

}  // namespace puente::core
