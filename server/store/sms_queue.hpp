#pragma once
// The SMS pipeline's queue in Redis (keys.hpp; docs/sms.md): one text at a time to each
// responder, carrying every alert waiting for them.
//
//   {p}sms-waiting:{responder}  the alerts whose sms rung was taken for them and that no text
//                               carried yet ("<incident> <alert>" -> ms taken), and "attempt"
//   {p}sms-jobs, :leased        member: the responder id. Due `[sms] bundle_seconds` after the
//                               first alert started waiting (the rung step, take_rungs.lua, adds
//                               it with NX, so later alerts of the window join the same text), or
//                               at a retry's time; claimed with a lease under the network's send
//                               rate, then finished (finish_sms_job.lua).
//
// A responder is in at most one of the two sets: the rung step does not queue a responder whose
// text is being sent, and the finish step queues again whatever is still waiting then. A claim
// moves a member to the leased set in one script, so two nodes never text one responder at once;
// a node that dies holding one leaves its lease to run out, and another node claims it again and
// finds the same alerts waiting: nothing is lost. A node killed after smsbox took a text and
// before finishing it leaves it to be sent a second time (the one case of a text twice).

#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace puente::store {

class SmsQueue {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  SmsQueue(std::shared_ptr<redis::Connection> redis, Keys keys);

  // Claims at most `most` responders whose text is due at `now` (and leased ones whose lease ran
  // out), leased until now + `lease`, and no more than `per_window` claimed network-wide in the
  // current window of `window_seconds`. Empty on a Redis failure.
  void claim(TimePoint now, std::chrono::milliseconds lease, std::size_t most, long long per_window,
             long long window_seconds,
             std::function<void(std::vector<std::string> responders)> done);

  struct WaitingAlert {
    std::string incident_id;
    std::string alert_id;
    TimePoint taken;  // when its sms rung was taken
  };
  struct Facts {
    std::vector<WaitingAlert> waiting;  // oldest first
    int attempt = 0;                    // texts tried before (the gateway was down)
    bool stopped = false;               // replied STOP
    long long sent_this_hour = 0;       // the network's texts this clock hour
  };
  void facts(const std::string& responder_id, TimePoint now,
             std::function<void(Outcome, Facts)> done);

  // One alert a claimed text settled: "texted" (smsbox took the text), a problem word
  // (Delivery.text_problem), or "" (gone: nothing to record). `letter` in a bundle, else "".
  struct Settled {
    std::string incident_id;
    std::string alert_id;
    std::string word;
    std::string letter;
  };
  struct Finished {
    std::vector<Settled> settled;
    std::string message_id;             // the text's id, when smsbox took it
    std::optional<TimePoint> retry_at;  // what is still waiting is tried again then
    std::string gateway_state;          // "up", "down", "" (unknown from this text)
    std::string gateway_problem;
  };
  void finish(const std::string& responder_id, const Finished& finished, TimePoint now,
              std::chrono::seconds reply_window, std::function<void(bool)> done);

  // Texts queued and being sent (ZCARD of both sets): for /readyz and the status.
  const Keys& keys() const { return keys_; }

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
