#pragma once
// What a responder's text message back touches in Redis (POST /v1/sms/inbound, docs/sms.md;
// the keys are in keys.hpp): Kannel's id taken once, what their reply answers (the sender's
// sms-codes: "latest" and the letters of a bundle), STOP and START (sms-stopped), the help text
// sent once per reply window (sms-helped), and the texts sent back counted against the hour's
// budget (sms-count). The ack itself goes through the AckDesk like any other.

#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace puente::store {

class SmsReplyStore {
 public:
  SmsReplyStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // Takes Kannel's message id once (a day): Outcome::ok the first time, repeated after,
  // unavailable.
  void take_inbound(const std::string& kannel_id, std::function<void(Outcome)> done);

  // The responder's sms-codes ("latest", "A", "B", ... -> "<incident id> <alert id>"); empty
  // when no text went to them within the reply window.
  void reply_codes(const std::string& responder_id,
                   std::function<void(Outcome, std::map<std::string, std::string>)> done);

  // STOP (stopped true) or START: the responder in or out of sms-stopped. Outcome::ok when it
  // changed, repeated when it was so already, unavailable.
  void set_stopped(const std::string& responder_id, bool stopped,
                   std::function<void(Outcome)> done);

  // Whether the help text may go to the responder now: Outcome::ok once per `window`, repeated
  // after (sms-helped), unavailable.
  void help_once(const std::string& responder_id, std::chrono::seconds window,
                 std::function<void(Outcome)> done);

  // A text sent back (the answer to Kannel's post) counts in the hour's budget.
  void count_text(std::chrono::system_clock::time_point now);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

// The clock hour the budget counts in (keys.hpp sms-count): Unix seconds / 3600.
long long sms_hour(std::chrono::system_clock::time_point at);

}  // namespace puente::store
