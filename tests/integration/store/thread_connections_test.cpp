// The incident store's connection per I/O thread, on a real Redis: a step called on a thread
// that runs one of the given contexts goes out on that thread's connection and is answered on
// that thread; a step called from any other thread goes out on the first connection.
#include "store/incident_store.hpp"

#include "redis_link.hpp"

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

class ThreadConnections : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(first.wait_up());
    ASSERT_TRUE(second.wait_up());
  }

  struct Answer {
    Outcome outcome;
    bool on_first_thread;
    bool on_second_thread;
  };

  // Reads the availability book, called on the second thread or (`on_second` false) on the
  // test's own thread, which runs neither context.
  Answer read_book(bool on_second) {
    std::promise<Answer> answered;
    auto step = [&] {
      store.availability([&](Outcome outcome, AvailabilityBook) {
        answered.set_value({outcome, first_io.context().get_executor().running_in_this_thread(),
                            second_io.context().get_executor().running_in_this_thread()});
      });
    };
    if (on_second)
      boost::asio::post(second_io.context(), step);
    else
      step();
    return answered.get_future().get();
  }

  test::RedisServer redis;
  test::IoThreads first_io{1};
  test::IoThreads second_io{1};
  test::RedisLink first{first_io, redis.port()};
  test::RedisLink second{second_io, redis.port()};
  IncidentStore store{{{&first_io.context(), first.connection()}, {&second_io.context(), second.connection()}},
                      Keys{"test:"}};
};

TEST_F(ThreadConnections, AStepIsAnsweredOnTheThreadThatCalledIt) {
  auto on_second = read_book(true);
  EXPECT_EQ(on_second.outcome, Outcome::ok);
  EXPECT_TRUE(on_second.on_second_thread);
  EXPECT_FALSE(on_second.on_first_thread);

  auto elsewhere = read_book(false);
  EXPECT_EQ(elsewhere.outcome, Outcome::ok);
  EXPECT_TRUE(elsewhere.on_first_thread);
  EXPECT_FALSE(elsewhere.on_second_thread);
}

TEST_F(ThreadConnections, AStepGoesOutOnItsThreadsOwnConnection) {
  // With the first connection stopped, only steps called on the second thread reach Redis.
  first.connection()->stop();
  EXPECT_EQ(read_book(true).outcome, Outcome::ok);
  EXPECT_EQ(read_book(false).outcome, Outcome::unavailable);
}

}  // namespace
}  // namespace puente::store
