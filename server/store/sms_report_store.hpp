#pragma once
// What comes back from the SMS gateway besides replies (docs/sms.md; keys in keys.hpp): delivery
// reports written into the incidents' texts hashes through the text's sms-text record, and the
// channel's state at a glance for GET /v1/sms/status.

#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

// GET /v1/sms/status's facts, as Redis holds them.
struct SmsStatusFacts {
  long long sent_this_hour = 0;  // sms-count of this clock hour
  long long queued = 0;          // sms-jobs and their leased ones
  std::string gateway_state;     // sms-gateway "state": "up", "down"; "" before any send
  long long gateway_since_ms = 0;
  std::string gateway_problem;
  std::vector<std::string> stopped;  // responders who replied STOP, sorted
};

class SmsReportStore {
 public:
  SmsReportStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  enum class Recorded { recorded, unknown_text, other_phone, unavailable };

  // A final report for the text `message_id`: `word` "delivered" (at `at`), or the problem word
  // ("failed", "rejected") for each alert it carried (lua/record_text_report.lua).
  // `phone_responder`: whose phone the report names ("" if it named none or no responder's),
  // checked against the text's responder.
  void record_report(const std::string& message_id, const std::string& word,
                     std::chrono::system_clock::time_point at, const std::string& phone_responder,
                     std::function<void(Recorded)> done);

  void status(std::chrono::system_clock::time_point now,
              std::function<void(Outcome, SmsStatusFacts)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
