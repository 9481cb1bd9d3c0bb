// The deadline queue against a real Redis: due timers are claimed once across claimers, a lease
// that runs out makes its timer due again, complete/cancel end it, and a poll that finds nothing
// due costs Redis no script.
#include "store/timer_queue.hpp"

#include "redis_link.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <future>
#include <set>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class TimerQueueTest : public test::StoreTest {
 protected:
  TimerQueue queue{link.connection(), Keys("test:")};

  std::vector<std::string> claim(Clock::time_point now, std::chrono::milliseconds lease = 10s) {
    std::promise<std::vector<std::string>> got;
    queue.claim_due(now, lease, 100,
                    [&](std::vector<std::string> m) { got.set_value(std::move(m)); });
    return got.get_future().get();
  }
  void schedule(const std::string& member, Clock::time_point due) {
    std::promise<bool> ok;
    queue.schedule(member, due, [&](bool b) { ok.set_value(b); });
    ASSERT_TRUE(ok.get_future().get());
  }
  void finish(const std::string& member, bool cancel = false) {
    std::promise<bool> ok;
    auto done = [&](bool b) { ok.set_value(b); };
    cancel ? queue.cancel(member, done) : queue.complete(member, done);
    ASSERT_TRUE(ok.get_future().get());
  }
};

TEST_F(TimerQueueTest, OnlyDueTimersAreClaimedAndEachOnlyOnce) {
  auto now = Clock::now();
  schedule("inc-1#1", now - 1s);
  schedule("inc-2#1", now + 1h);
  EXPECT_EQ(claim(now), std::vector<std::string>{"inc-1#1"});
  EXPECT_TRUE(claim(now).empty());  // leased to the first claimer
}

TEST_F(TimerQueueTest, APollThatFindsNothingDueRunsNoScript) {
  // Every node polls each queue twice a second and nearly always finds nothing (issue 22).
  auto now = Clock::now();
  schedule("inc-1#1", now + 1h);
  const auto scripts = link.calls("evalsha") + link.calls("eval");
  EXPECT_TRUE(claim(now).empty());
  EXPECT_EQ(link.calls("evalsha") + link.calls("eval"), scripts);
  EXPECT_EQ(link.calls("zrange"), 2) << "one look at each set";
}

TEST_F(TimerQueueTest, AQueueLetGoMidPollStillAnswersIt) {
  // A poll takes up to three round trips (two looks, then the claim); its owner may drop the
  // queue before they are over (a node stopping). The steps hold what they need, not the queue:
  // ASan would name a read of the freed queue here.
  auto now = Clock::now();
  schedule("inc-1#1", now + 1h);  // nothing due: both looks run
  std::promise<std::vector<std::string>> polled, claimed;
  {
    TimerQueue doomed(link.connection(), Keys("test:"));
    doomed.claim_due(now, 10s, 100,
                     [&](std::vector<std::string> m) { polled.set_value(std::move(m)); });
  }
  EXPECT_TRUE(polled.get_future().get().empty());
  schedule("inc-2#1", now - 1s);  // due: the look finds it, the claim runs
  {
    TimerQueue doomed(link.connection(), Keys("test:"));
    doomed.claim_due(now, 10s, 100,
                     [&](std::vector<std::string> m) { claimed.set_value(std::move(m)); });
  }
  EXPECT_EQ(claimed.get_future().get(), std::vector<std::string>{"inc-2#1"});
  std::promise<bool> dropped;
  {
    TimerQueue doomed(link.connection(), Keys("test:"));
    doomed.cancel("inc-2#1", [&](bool ok) { dropped.set_value(ok); });
  }
  EXPECT_TRUE(dropped.get_future().get());
}

TEST_F(TimerQueueTest, ALeaseThatRunsOutMakesTheTimerDueAgain) {
  auto now = Clock::now();
  schedule("inc-1#1", now - 1s);
  ASSERT_EQ(claim(now, 5s).size(), 1u);
  // The claimer "died": six seconds later the lease is over and another node takes it.
  EXPECT_EQ(claim(now + 6s), std::vector<std::string>{"inc-1#1"});
}

TEST_F(TimerQueueTest, CompletedAndCancelledTimersNeverComeBack) {
  auto now = Clock::now();
  schedule("inc-1#1", now - 1s);
  schedule("inc-2#1", now - 1s);
  ASSERT_EQ(claim(now).size(), 2u);
  finish("inc-1#1");
  finish("inc-2#1", true);
  schedule("inc-3#1", now + 1s);
  finish("inc-3#1", true);
  EXPECT_TRUE(claim(now + 1h).empty());
}

TEST_F(TimerQueueTest, ConcurrentClaimersSplitTheDueTimersWithoutOverlap) {
  auto now = Clock::now();
  for (int i = 0; i < 50; ++i) schedule("inc-" + std::to_string(i) + "#1", now - 1s);
  std::vector<std::future<std::vector<std::string>>> claims;
  for (int i = 0; i < 4; ++i)
    claims.push_back(std::async(std::launch::async, [&] {
      std::vector<std::string> mine;
      for (int round = 0; round < 10; ++round) {
        std::promise<std::vector<std::string>> got;
        queue.claim_due(now, 10s, 7,
                        [&](std::vector<std::string> m) { got.set_value(std::move(m)); });
        for (auto& m : got.get_future().get()) mine.push_back(std::move(m));
      }
      return mine;
    }));
  std::multiset<std::string> all;
  for (auto& c : claims)
    for (auto& m : c.get()) all.insert(m);
  EXPECT_EQ(all.size(), 50u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 50u);
}

}  // namespace
}  // namespace puente::store
