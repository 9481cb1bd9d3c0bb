// What a queued WebSocket frame costs and when a socket's queue or the node's is full: tiny
// frames count their overhead, shared alerts count once for the node, nothing wraps.

#include "core/send_queue_budget.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace puente::core {
namespace {

TEST(SendQueueBudget, AFrameCountsItsBufferAndItsOverhead) {
  auto answer = queued_frame_cost(15, false);
  EXPECT_EQ(answer.socket, 15 + queued_frame_overhead_bytes);
  EXPECT_EQ(answer.node, answer.socket);
}

TEST(SendQueueBudget, ASharedAlertCountsWholeForTheSocketButOnlyItsOverheadForTheNode) {
  auto alert = queued_frame_cost(700, true);
  EXPECT_EQ(alert.socket, 700 + queued_frame_overhead_bytes);
  EXPECT_EQ(alert.node, queued_frame_overhead_bytes);
}

TEST(SendQueueBudget, TinyFramesFillASocketsQueueByTheirOverhead) {
  // 1 MiB of 11-byte pongs: by payload 95,325 of them fitted; as allocated, about 6,100.
  const SendQueueBudget budget{1 << 20, 256u << 20};
  const auto pong = queued_frame_cost(15, false);
  std::size_t queued = 0, frames = 0;
  while (room_for(pong, queued, queued, budget) == QueueRoom::enough) {
    queued += pong.socket;
    ++frames;
  }
  EXPECT_EQ(frames, (1u << 20) / pong.socket);
  EXPECT_LT(frames, 7000u);
  EXPECT_EQ(room_for(pong, queued, queued, budget), QueueRoom::socket_full);
}

TEST(SendQueueBudget, TheNodesTotalStopsASocketThatHoldsLittle) {
  const SendQueueBudget budget{1 << 20, 10'000};
  const auto answer = queued_frame_cost(100, false);
  EXPECT_EQ(room_for(answer, 0, 10'000 - answer.node, budget), QueueRoom::enough);
  EXPECT_EQ(room_for(answer, 0, 10'000 - answer.node + 1, budget), QueueRoom::node_full);
  // The socket's own budget is looked at first: a socket past both is a slow consumer.
  EXPECT_EQ(room_for(answer, 1 << 20, 10'000, budget), QueueRoom::socket_full);
}

TEST(SendQueueBudget, AFrameLargerThanABudgetNeverFitsAndNothingWraps) {
  const SendQueueBudget budget{1000, 2000};
  EXPECT_EQ(room_for(queued_frame_cost(5000, false), 0, 0, budget), QueueRoom::socket_full);
  const std::size_t huge = std::numeric_limits<std::size_t>::max() - 10;
  EXPECT_EQ(room_for(QueuedFrameCost{huge, huge}, 500, 500, budget), QueueRoom::socket_full);
  EXPECT_EQ(room_for(QueuedFrameCost{10, huge}, 500, 500, budget), QueueRoom::node_full);
  // Counts already over a budget (the budget shrank under them) refuse, not wrap.
  EXPECT_EQ(room_for(QueuedFrameCost{1, 1}, 1500, 0, budget), QueueRoom::socket_full);
  EXPECT_EQ(room_for(QueuedFrameCost{1, 1}, 0, 2500, budget), QueueRoom::node_full);
}

}  // namespace
}  // namespace puente::core
