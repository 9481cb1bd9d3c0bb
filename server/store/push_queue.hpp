#pragma once
// The rung checks, and the Web Push pipeline's queue in Redis (keys.hpp; docs/push.md; the SMS
// queue, which the rung step feeds too, is sms_queue.hpp):
//
//   rung checks  {p}rungs, rungs:leased: "<incident id> <alert id>" -> when to look again at who
//                of the alert's recipients needs a push. The script that sends an alert sets
//                the first (IncidentStore, StoreOptions::rung_check_after); they are claimed like
//                any deadline (timer_queue.hpp) and given back, in the step that queues the
//                pushes and texts, with the next time to look or not at all.
//   push jobs    {p}push-jobs, push-jobs:leased: one push to one phone (PushJob), due at once or
//                at its retry time; claimed with a lease under the network's send rate, then
//                finished: recorded, retried as the next attempt, or given up.
//
// A claim moves members to the leased set in one script, so two nodes never hold one at once;
// a node that dies holding some leaves their leases to run out, and another node claims them
// again: nothing queued is lost, and a push whose node died after the push service accepted it
// and before finishing it goes out a second time (a phone's notification tag shows it once).

#include "puente/v1/puente.pb.h"
#include "store/incident_store.hpp"
#include "store/timer_queue.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace puente::store {

// One push to one phone, as its member in the push-jobs sets says (keys.hpp).
struct PushJob {
  std::string kind;  // alert, test, nudge, dropped
  int attempt = 1;
  std::string responder_id;
  std::string subscription_id;
  std::string incident_id;  // alert only; "-" otherwise
  std::string alert_id;     // alert only; "-" otherwise
  std::string n = "0";      // tells two pushes of one kind to one phone apart

  std::string member() const;
  // The same push, tried once more.
  PushJob next_attempt() const;
  bool is_alert() const { return kind == "alert"; }
  static std::optional<PushJob> parse(std::string_view member);
};

class PushQueue {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  PushQueue(std::shared_ptr<redis::Connection> redis, Keys keys);

  // --- rung checks
  TimerQueue& rung_checks() { return rung_checks_; }

  // Per recipient of one alert: whether their push rung was taken, whether they have a phone,
  // whether their sms rung was taken, whether they replied STOP.
  struct RungFacts {
    std::set<std::string> queued;      // push rung taken
    std::set<std::string> with_phone;  // at least one phone registered
    std::set<std::string> texted;      // sms rung taken
    std::set<std::string> stopped;     // replied STOP to texts ({p}sms-stopped)
  };
  void rung_facts(const std::string& incident_id, const std::string& alert_id,
                  const std::vector<std::string>& responders,
                  std::function<void(Outcome, RungFacts)> done);

  // Takes the push rung for `push_due` (one job per phone of each) and the sms rung for
  // `sms_due` (the alert waits for their next text, due `bundle` after the first waiting:
  // sms_queue.hpp), each unless taken before, and gives the rung check back: set again at
  // `next`, or removed. `queued`: pushes and alert texts queued.
  void take_rungs(const std::string& incident_id, const std::string& alert_id,
                  const std::vector<std::string>& push_due, const std::vector<std::string>& sms_due,
                  std::chrono::milliseconds bundle, std::optional<TimePoint> next, TimePoint now,
                  std::function<void(Outcome, std::size_t queued)> done);

  // --- push jobs
  // A push that is not an alert (kind test, nudge, dropped) to `subscription_id` of the
  // responder, or to each of their phones when it is empty. With `quiet_since` (a nudge or a
  // dropped notice: when the phone was last heard from), once per phone and quiet spell: a
  // second call for the same spell queues nothing. `queued`: phones it goes to.
  void queue_phone_push(const std::string& kind, const std::string& responder_id,
                        const std::string& subscription_id, TimePoint now,
                        std::optional<TimePoint> quiet_since,
                        std::function<void(Outcome, std::size_t queued)> done);

  // Claims at most `most` jobs due at `now` (and leased ones whose lease ran out), leased until
  // now + `lease`, and no more than `per_second` claimed network-wide in this second. Empty on a
  // Redis failure.
  void claim_jobs(TimePoint now, std::chrono::milliseconds lease, std::size_t most,
                  std::size_t per_second, std::function<void(std::vector<PushJob>)> done);

  // What became of a claimed job.
  struct Finished {
    bool pushed = false;                // a push service accepted it
    std::string problem;                // else why not (PushOutcome's word); empty if pushed
    std::optional<TimePoint> retry_at;  // tried once more then, as the next attempt
  };
  void finish(const PushJob& job, const Finished& finished, TimePoint now,
              std::function<void(bool)> done);

  // --- phones
  // One phone of a responder; nullopt if it is not registered (any more).
  void phone(const std::string& responder_id, const std::string& subscription_id,
             std::function<void(Outcome, std::optional<v1::PushSubscription>)> done);

  const Keys& keys() const { return keys_; }

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  TimerQueue rung_checks_;
};

}  // namespace puente::store
