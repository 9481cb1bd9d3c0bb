#include "store/timer_queue.hpp"

#include "core/clock.hpp"
#include "redis/script.hpp"

namespace puente::store {

namespace {

using core::to_ms;

// KEYS: timers, leased; ARGV: now ms, lease expiry ms, max
const redis::Script& claim_script() {
  static const redis::Script script(R"lua(
local claimed = {}
for _, key in ipairs({KEYS[1], KEYS[2]}) do
  local due = redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]) - #claimed)
  for _, member in ipairs(due) do
    redis.call('ZREM', KEYS[1], member)
    redis.call('ZADD', KEYS[2], ARGV[2], member)
    table.insert(claimed, member)
  end
  if #claimed >= tonumber(ARGV[3]) then break end
end
return claimed
)lua");
  return script;
}

auto succeeded(std::function<void(bool)> done) {
  return [done = std::move(done)](boost::system::error_code ec, const redis::Reply& reply) {
    if (done) done(!ec && !reply.is_error());
  };
}

// The steps below hold what they need, not the queue: its owner may let it go before Redis
// answers.

void drop_lease(redis::Connection& redis, const std::string& leased, const std::string& member,
                std::function<void(bool)> done) {
  redis.execute({"ZREM", leased, member}, succeeded(std::move(done)));
}

// `done(true)` if `set` holds a member scored at or before `now_ms`.
void first_due(redis::Connection& redis, const std::string& set, const std::string& now_ms,
               std::function<void(bool)> done) {
  redis.execute({"ZRANGE", set, "-inf", now_ms, "BYSCORE", "LIMIT", "0", "1"},
                [done = std::move(done)](boost::system::error_code ec, const redis::Reply& reply) {
                  // A failure answers as the claim would have: nothing claimed.
                  done(!ec && !reply.is_error() && !reply.elements.empty());
                });
}

void claim(redis::Connection& redis, const std::string& due, const std::string& leased,
           TimerQueue::TimePoint now, std::chrono::milliseconds lease, std::size_t max,
           std::function<void(std::vector<std::string>)> done) {
  claim_script().run(
      redis, {due, leased},
      {std::to_string(to_ms(now)), std::to_string(to_ms(now + lease)), std::to_string(max)},
      [done = std::move(done)](boost::system::error_code ec, redis::Reply reply) {
        std::vector<std::string> members;
        if (!ec && !reply.is_error())
          for (auto& e : reply.elements) members.push_back(std::move(e.str));
        done(std::move(members));
      });
}

}  // namespace

TimerQueue::TimerQueue(std::shared_ptr<redis::Connection> redis, Keys keys)
    : TimerQueue(std::move(redis), keys.timers(), keys.leased_timers()) {}

TimerQueue::TimerQueue(std::shared_ptr<redis::Connection> redis, std::string due,
                       std::string leased)
    : redis_(std::move(redis)), due_(std::move(due)), leased_(std::move(leased)) {}

void TimerQueue::schedule(const std::string& member, TimePoint due,
                          std::function<void(bool)> done) {
  redis_->execute({"ZADD", due_, std::to_string(to_ms(due)), member}, succeeded(std::move(done)));
}

void TimerQueue::cancel(const std::string& member, std::function<void(bool)> done) {
  redis_->execute({"ZREM", due_, member},
                  [redis = redis_, leased = leased_, member, done = std::move(done)](
                      boost::system::error_code, const redis::Reply&) mutable {
                    drop_lease(*redis, leased, member, std::move(done));
                  });
}

void TimerQueue::claim_due(TimePoint now, std::chrono::milliseconds lease, std::size_t max,
                           std::function<void(std::vector<std::string>)> done) {
  // Most polls find nothing due. A plain ZRANGE for the first due member of each set costs
  // Redis a few thousand instructions; the claim script (Lua's call, a command per set, the
  // effects for the AOF) several times that, on every node twice a second per queue (issue 22).
  // The claim itself stays one script: what the look saw may be taken by another node first.
  auto now_ms = std::to_string(to_ms(now));
  first_due(*redis_, due_, now_ms,
            [redis = redis_, due = due_, leased = leased_, now, lease, max, now_ms,
             done = std::move(done)](bool any_due) mutable {
              if (any_due) return claim(*redis, due, leased, now, lease, max, std::move(done));
              first_due(*redis, leased, now_ms,
                        [redis, due, leased, now, lease, max,
                         done = std::move(done)](bool expired) mutable {
                          if (!expired) return done({});
                          claim(*redis, due, leased, now, lease, max, std::move(done));
                        });
            });
}

void TimerQueue::complete(const std::string& member, std::function<void(bool)> done) {
  drop_lease(*redis_, leased_, member, std::move(done));
}

}  // namespace puente::store
