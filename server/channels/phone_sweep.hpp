#pragma once
// Looks for quiet phones (core/quiet_phone.hpp) every `interval`, on one node at a time (a lease
// in Redis, keys.hpp push-sweep:lease, held for the interval): each rostered responder's phones
// are read, a quiet one gets a "nudge" push (its nudged_at set when it is accepted), one quiet
// past [push] drop_after_days a "dropped" notice, after which the dispatch removes it. Each is
// queued once per quiet spell (store/lua/queue_phone_push.lua marks it in the step that queues
// it): a later sweep that sees the phone before the push service answered queues no second.

#include "channels/push_dispatch.hpp"
#include "core/quiet_phone.hpp"
#include "core/roster.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace puente::channels {

class PhoneSweep : public std::enable_shared_from_this<PhoneSweep> {
 public:
  PhoneSweep(boost::asio::any_io_executor executor, std::shared_ptr<redis::Connection> redis,
             store::Keys keys, const core::Roster& roster, store::PushSubscriptionStore& phones,
             PushDispatch& dispatch, core::QuietRules rules, std::string node_id,
             std::chrono::milliseconds interval);

  void start();
  void stop();  // thread-safe

 private:
  void schedule();
  void sweep();
  void sweep_responder(const std::string& responder_id);

  boost::asio::steady_timer timer_;
  std::shared_ptr<redis::Connection> redis_;
  store::Keys keys_;
  const core::Roster& roster_;
  store::PushSubscriptionStore& phones_;
  PushDispatch& dispatch_;
  core::QuietRules rules_;
  std::string node_id_;
  std::chrono::milliseconds interval_;
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::channels
