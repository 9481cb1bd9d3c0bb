#pragma once
// Takes the rungs of each alert's delivery ladder beyond the socket, on whichever node claims
// the alert's rung check first (store/push_queue.hpp).
//
// The script that publishes an alert sets its check [delivery] socket_grace_ms later (the time
// the recipients' nodes have to record that a socket took it). Claimed, the check reads what
// happened so far to each recipient (a socket took it, they answered RECEIVED or more, their
// push or sms rung was taken, they have a phone for push, a number for texts and no STOP),
// asks core::DeliveryLadders what goes out now and when to look again, and in one store step
// queues one push per phone of each recipient due a push, adds the alert to the next text of
// each due a text (store/sms_queue.hpp), and gives the check back for the next time to look, or
// drops it. It runs when Web Push or SMS is on, and takes only the rungs of the channels on. A node
// that dies holding a check leaves its lease to run out; the next node queues what the first did
// not (taking a rung is marked in the same step, so it is taken once).
//
// An alert of an incident that is over (false alarm, resolved) gets no further rung, except the
// alert that says it is over.

#include "core/delivery_ladder.hpp"
#include "store/incident_store.hpp"
#include "store/push_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace puente::channels {

// Which channels beyond the socket this network has on, and who can be texted.
struct RungChannels {
  bool push = false;  // [push] vapid_key_file set
  bool sms = false;   // [sms] credentials_file set
  // A number and "sms" among their roster channels (STOP is read from Redis).
  std::function<bool(const std::string& responder_id)> has_sms_phone;
  std::chrono::milliseconds sms_bundle{0};  // [sms] bundle_seconds
};

class RungWorker : public std::enable_shared_from_this<RungWorker> {
 public:
  RungWorker(boost::asio::any_io_executor executor, store::IncidentStore& incidents,
             store::PushQueue& queue, const core::DeliveryLadders& ladders, RungChannels channels,
             std::chrono::milliseconds poll);

  void start();
  void stop();  // thread-safe

 private:
  void schedule_poll();
  void poll();
  void check(const std::string& member);
  void decide(const std::string& member, const v1::Incident& incident, const v1::Alert& alert,
              const store::PushQueue::RungFacts& facts);

  boost::asio::steady_timer timer_;
  store::IncidentStore& incidents_;
  store::PushQueue& queue_;
  const core::DeliveryLadders& ladders_;
  RungChannels channels_;
  std::chrono::milliseconds poll_;
  std::atomic<bool> stopped_{false};
};

// What happened so far to `alert` for `responder`, from the incident's delivery records and the
// rung facts; `textable`: they have a number and "sms" among their channels (and SMS is on).
core::RecipientProgress progress_of(const v1::Incident& incident, const v1::Alert& alert,
                                    const std::string& responder,
                                    const store::PushQueue::RungFacts& facts, bool textable);

// Sets Delivery.unreachable on each of the incident's deliveries: not answered, no socket took
// it, and no rung of its alert's ladder can reach them (`with_phone`: the recipients with a
// phone; empty when Web Push is off; `textable`: those with a number and "sms" among their
// channels; empty when SMS is off).
void mark_unreachable(v1::Incident& incident, const std::set<std::string>& with_phone,
                      const core::DeliveryLadders& ladders,
                      const std::set<std::string>& textable = {});

// Sets Delivery.phones_quiet_since on each of the incident's deliveries to a recipient whose
// every phone (`phones`, per recipient) is stale at `now` (core::phones_quiet_since): the board
// shows that a push may not reach them.
void mark_quiet_phones(v1::Incident& incident,
                       const std::map<std::string, std::vector<v1::PushSubscription>>& phones,
                       std::chrono::system_clock::time_point now, std::chrono::seconds stale_after);

}  // namespace puente::channels
