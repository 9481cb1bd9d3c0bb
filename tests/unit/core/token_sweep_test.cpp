// TokenSweepSchedule (core/token_sweep.hpp): a whole sweep of the signed-in sockets is due only
// when the registry changed or an expiry came, so a tick with nothing due checks no socket.

#include "core/token_sweep.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

TEST(TokenSweepSchedule, TheFirstSweepIsDue) {
  TokenSweepSchedule schedule;
  EXPECT_TRUE(schedule.due(0, Clock::now()));
}

TEST(TokenSweepSchedule, ATickWithNothingDueChecksNoSocket) {
  TokenSweepSchedule schedule;
  const auto now = Clock::now();
  schedule.swept(7, now + 1h);
  for (auto later : {0s, 1s, 60s, 3599s})
    EXPECT_FALSE(schedule.due(7, now + later)) << later.count();
  schedule.swept(7, std::nullopt);
  EXPECT_FALSE(schedule.due(7, now + 24h)) << "no token expires: nothing comes due with time";
}

TEST(TokenSweepSchedule, AnExpiryFallingDueMakesASweepDue) {
  TokenSweepSchedule schedule;
  const auto now = Clock::now();
  schedule.swept(7, now + 5s);
  EXPECT_FALSE(schedule.due(7, now + 5s - 1ms));
  EXPECT_TRUE(schedule.due(7, now + 5s)) << "a token is unusable from its expiry on";
  EXPECT_TRUE(schedule.due(7, now + 6s));
}

TEST(TokenSweepSchedule, AChangedRegistryMakesASweepDue) {
  TokenSweepSchedule schedule;
  const auto now = Clock::now();
  schedule.swept(7, std::nullopt);
  EXPECT_TRUE(schedule.due(8, now)) << "a reload, an update or a revocation since";
  schedule.swept(8, std::nullopt);
  EXPECT_FALSE(schedule.due(8, now));
}

}  // namespace
}  // namespace puente::core
