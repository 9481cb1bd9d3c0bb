#pragma once
// Sends the Web Pushes queued in Redis (store/push_queue.hpp), on whichever node claims each
// first: every `poll` this node claims what is due under the network's send rate, builds each
// payload (core/push_payload.hpp: the texts in the responder's language, an ack capability for
// an alert), sends it (push::PushSender) and acts on the result:
//
//   accepted                    "pushed" recorded (the first), the phone's last_pushed_at
//   gone (404, 410)             the subscription is removed from every responder holding it
//   retry_later, network_error  "problem" recorded; tried again as the next attempt after a
//                               backoff (1, 2, 4 ... s, at most 5 min) or Retry-After if longer,
//                               up to [push] max_attempts in all
//   refused, blocked            "problem" recorded; not tried again
//
// A retry is a job in the queue like the first, so a node dying between attempts loses none.
// Also the queue's front door for pushes that are not alerts: send_test (POST
// /v1/admin/push-test) and the quiet-phone sweep's nudges and notices.

#include "channels/push/push_sender.hpp"
#include "core/ack_capability.hpp"
#include "core/alert_templates.hpp"
#include "core/geo_index.hpp"
#include "core/metrics.hpp"
#include "core/time_zone.hpp"
#include "store/incident_store.hpp"
#include "store/push_queue.hpp"
#include "store/push_subscription_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace puente::channels {

struct PushDispatchOptions {
  std::chrono::seconds ttl{3600};      // [push] ttl_seconds
  std::size_t sends_per_second = 200;  // [push] sends_per_second, the network's (at least 1)
  int max_attempts = 5;                // [push] max_attempts
  std::chrono::seconds capability_lifetime{2 * 3600};  // [push] ack_capability_seconds
  // A claimed push is this node's this long: longer than a send can take (connect and response
  // deadlines), so only a dead node's pushes are claimed again.
  std::chrono::milliseconds lease{std::chrono::seconds(20)};
  std::chrono::milliseconds poll{std::chrono::milliseconds(100)};
  std::size_t most_in_flight = 256;  // sends under way on this node at once
};

// What the dispatch reads beyond the queue: the texts and who reads which language.
struct PushTexts {
  const core::Templates& templates;
  const core::GeoIndex& geo;
  const core::TimeZone& zone;
  std::function<std::string(const std::string& responder_id)> language_of;
};

class PushDispatch : public std::enable_shared_from_this<PushDispatch> {
 public:
  PushDispatch(boost::asio::any_io_executor executor, store::PushQueue& queue,
               store::IncidentStore& incidents, store::PushSubscriptionStore& phones,
               std::shared_ptr<push::PushSender> sender, PushTexts texts, core::Metrics& metrics,
               PushDispatchOptions options);

  // Starts claiming once the network's ack key is known (every alert push carries a capability
  // minted with it).
  void start(std::shared_ptr<const core::AckCapabilityKey> ack_key);
  void stop();  // thread-safe

  // Queues a kind "test" push to each phone of the responder; `done(phones)`: how many it goes
  // to (0: none registered), -1 if Redis could not be reached.
  void send_test(const std::string& responder_id, std::function<void(int phones)> done);
  // Queues a push of `kind` ("nudge", "dropped") to one phone of the responder, quiet since
  // `quiet_since`: once for that quiet spell (`queued` false for a second time, or no phone).
  void send_notice(const std::string& kind, const std::string& responder_id,
                   const std::string& subscription_id,
                   std::chrono::system_clock::time_point quiet_since,
                   std::function<void(bool queued)> done);

 private:
  void schedule_poll();
  void poll();
  // The claimed jobs, each alert read once for all its pushes in the claim.
  void send_all(std::vector<store::PushJob> jobs);
  // One job; `alert` is its alert (null for a push that is not an alert's, or when the incident
  // is gone or never sent it).
  void send(store::PushJob job, std::shared_ptr<const v1::Alert> alert);
  void send_to(store::PushJob job, v1::PushSubscription phone, std::string payload,
               push::PushOptions options);
  void finished(const store::PushJob& job, const push::PushResult& result,
                std::chrono::steady_clock::time_point started);
  void done_with(const store::PushJob& job, store::PushQueue::Finished finished);
  std::string alert_payload(const store::PushJob& job, const v1::Alert& alert) const;
  std::string notice_payload(const store::PushJob& job) const;

  boost::asio::steady_timer timer_;
  store::PushQueue& queue_;
  store::IncidentStore& incidents_;
  store::PushSubscriptionStore& phones_;
  std::shared_ptr<push::PushSender> sender_;
  PushTexts texts_;
  core::Metrics& metrics_;
  PushDispatchOptions options_;
  std::shared_ptr<const core::AckCapabilityKey> ack_key_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopped_{false};
};

// The wait before attempt `attempt + 1` after attempt `attempt` failed: 1, 2, 4 ... seconds, at
// most 5 minutes, and never less than the push service's Retry-After.
std::chrono::seconds retry_delay(int attempt, std::optional<std::chrono::seconds> retry_after);

}  // namespace puente::channels
