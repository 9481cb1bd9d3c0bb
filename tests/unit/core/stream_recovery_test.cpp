// StreamRecovery on its own: the merge of replayed history and live alerts that the live feed
// and every responder socket rely on. Shaped after centrifuge's tests of its recovery merge
// (internal/recovery/helpers_test.go: nothing buffered, buffered, order, duplicates), here item
// by item as pages of history arrive.

#include "core/stream_recovery.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace puente::core {
namespace {

StreamOffset at(std::uint64_t ms, std::uint64_t seq = 0) { return {ms, seq}; }

// What a caller passes on, by item name, in the order it would.
struct Line {
  StreamRecovery<std::string> recovery;
  std::vector<std::string> out;

  explicit Line(StreamOffset seen = {}) : recovery(seen) {}
  void replayed(StreamOffset offset, const std::string& name) {
    if (recovery.replayed(offset)) out.push_back(name);
  }
  void live(StreamOffset offset, const std::string& name) {
    if (auto item = recovery.live(offset, name)) out.push_back(*item);
  }
  void replay_ends() {
    for (auto& item : recovery.replay_ends()) out.push_back(std::move(item));
  }
};

using Names = std::vector<std::string>;

TEST(StreamRecovery, WithoutAReplayLiveItemsGoOutAtOnce) {
  Line line;
  line.live(at(1), "a");
  line.live(at(2), "b");
  EXPECT_EQ(line.out, (Names{"a", "b"}));
  EXPECT_FALSE(line.recovery.replaying());
  EXPECT_EQ(line.recovery.last_passed(), at(2));
}

TEST(StreamRecovery, LivePassesHoldsACopyDuringAReplayAndDropsWhatWasPassedOn) {
  StreamRecovery<std::string> recovery(at(1));
  EXPECT_TRUE(recovery.live_passes(at(2), "b"));
  EXPECT_FALSE(recovery.live_passes(at(2), "b again"));
  recovery.replay_begins();
  const std::string kept = "d";
  EXPECT_FALSE(recovery.live_passes(at(4), kept));  // held, as a copy: the caller keeps its own
  EXPECT_TRUE(recovery.replayed(at(3)));
  EXPECT_EQ(recovery.replay_ends(), (Names{"d"}));
  EXPECT_EQ(kept, "d");
  EXPECT_EQ(recovery.last_passed(), at(4));
}

TEST(StreamRecovery, AReplayWithNothingHeldPassesTheHistoryAfterTheSeenOffset) {
  Line line(at(2));
  line.recovery.replay_begins();
  line.replayed(at(3), "c");
  line.replayed(at(4), "d");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"c", "d"}));
}

TEST(StreamRecovery, LiveItemsWaitForTheReplayAndFollowItInOrder) {
  Line line(at(1));
  line.recovery.replay_begins();
  line.live(at(5), "e");  // live, before the history that precedes it was read
  EXPECT_TRUE(line.out.empty());
  EXPECT_TRUE(line.recovery.replaying());
  line.replayed(at(2), "b");
  line.replayed(at(3), "c");
  line.live(at(6), "f");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"b", "c", "e", "f"}));
  EXPECT_FALSE(line.recovery.replaying());
  line.live(at(7), "g");  // live again at once
  EXPECT_EQ(line.out.back(), "g");
}

TEST(StreamRecovery, WhatCameBothWaysGoesOutOnce) {
  Line line(at(1));
  line.recovery.replay_begins();
  line.live(at(3), "c");  // written during the replay: live, and in the history read after it
  line.live(at(4), "d");
  line.replayed(at(2), "b");
  line.replayed(at(3), "c");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"b", "c", "d"}));
}

TEST(StreamRecovery, NothingAtOrBeforeTheLastPassedGoesOutAgain) {
  Line line(at(5, 1));
  line.recovery.replay_begins();
  line.replayed(at(5, 0), "old");
  line.replayed(at(5, 1), "seen");
  line.replayed(at(5, 2), "new");
  line.replay_ends();
  line.live(at(5, 2), "new again");
  line.live(at(4), "older");
  EXPECT_EQ(line.out, (Names{"new"}));
  EXPECT_EQ(line.recovery.last_passed(), at(5, 2));
}

TEST(StreamRecovery, OffsetsCompareAsNumbersAcrossPages) {
  // Pages of history: the next one starts after last_passed, which must be numeric ("9" < "10").
  Line line(at(8));
  line.recovery.replay_begins();
  line.replayed(at(9), "i");
  EXPECT_EQ(line.recovery.last_passed(), at(9));
  line.live(at(11), "k");
  line.replayed(at(10), "j");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"i", "j", "k"}));
}

TEST(StreamRecovery, HeldItemsAreReleasedInOffsetOrderWhateverTheirArrival) {
  Line line;
  line.recovery.replay_begins();
  line.live(at(9), "i");
  line.live(at(7), "g");
  line.live(at(8), "h");
  line.live(at(8), "h twice");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"g", "h", "i"}));
}

TEST(StreamRecovery, OverlappingReplaysReleaseOnlyWhenTheLastEnds) {
  // The live feed may resubscribe again while a catch-up still runs.
  Line line(at(1));
  line.recovery.replay_begins();
  line.recovery.replay_begins();
  line.live(at(4), "d");
  line.replayed(at(2), "b");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"b"}));  // "d" still waits: the second replay may hold "c"
  EXPECT_TRUE(line.recovery.replaying());
  line.replayed(at(2), "b");
  line.replayed(at(3), "c");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"b", "c", "d"}));
}

TEST(StreamRecovery, AnEmptyHistoryReleasesWhatWasHeld) {
  Line line(at(3));
  line.recovery.replay_begins();
  line.live(at(2), "late duplicate");
  line.live(at(4), "d");
  line.replay_ends();
  EXPECT_EQ(line.out, (Names{"d"}));
}

TEST(StreamRecoveryDeathTest, AReplayThatNeverBeganCannotEnd) {
  StreamRecovery<std::string> recovery;
  EXPECT_DEATH(recovery.replay_ends(), "never began");
}

}  // namespace
}  // namespace puente::core
