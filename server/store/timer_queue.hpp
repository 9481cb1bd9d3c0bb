#pragma once
// Deadlines that survive any node's death: a sorted set in Redis scored by due time, which every
// node polls and claims from atomically.
//
//   {p}timers          sorted set: member -> due time (ms since the epoch)
//   {p}timers:leased   sorted set: member -> lease expiry (ms); claimed, not yet completed
//
// claim_due() moves due members to the leased set in one script, so two nodes never claim the
// same one. A node that claims a timer and dies before complete() leaves its lease to expire;
// the timer is then claimed again by whichever node polls next: a deadline is never skipped.
// The work a timer triggers must therefore be idempotent (the escalation step is: its script
// advances the incident's step only from the one before).

#include "redis/connection.hpp"
#include "store/keys.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

class TimerQueue {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // The escalation deadlines ({p}timers, {p}timers:leased).
  TimerQueue(std::shared_ptr<redis::Connection> redis, Keys keys);
  // Another set of deadlines with the same rules, in `due` and `leased` (the rung checks).
  TimerQueue(std::shared_ptr<redis::Connection> redis, std::string due, std::string leased);

  // Sets (or moves) `member`'s deadline. `done(false)` if Redis was not reachable.
  void schedule(const std::string& member, TimePoint due, std::function<void(bool)> done);
  // Removes `member`, claimed or not.
  void cancel(const std::string& member, std::function<void(bool)> done);
  // Claims at most `max` members due at `now` (and leased ones whose lease ran out), leasing them
  // until now + `lease`. Empty on a Redis failure.
  void claim_due(TimePoint now, std::chrono::milliseconds lease, std::size_t max,
                 std::function<void(std::vector<std::string>)> done);
  // The work for `member` is done: drop its lease.
  void complete(const std::string& member, std::function<void(bool)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  std::string due_, leased_;
};

}  // namespace puente::store
