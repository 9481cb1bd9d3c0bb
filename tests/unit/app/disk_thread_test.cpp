// The media desk's disk thread (app/media/disk_thread.hpp): blob work runs off the thread that
// asked for it, in order, and its result comes back on the asking executor.
#include "app/media/disk_thread.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace puente::app {
namespace {

using namespace std::chrono_literals;

TEST(DiskThread, WorkRunsOffTheHomeThreadAndItsResultComesBackOnIt) {
  boost::asio::io_context home;
  DiskThread disk(home.get_executor());
  std::thread::id worked_on, answered_on;
  int answer = 0;
  disk.run(
      [&] {
        worked_on = std::this_thread::get_id();
        return 42;
      },
      [&](DiskResult<int> result) {
        answered_on = std::this_thread::get_id();
        answer = result.value.value_or(-1);
      });
  home.run();  // returns once the answer, the only work of `home`, has run
  EXPECT_EQ(answer, 42);
  EXPECT_EQ(answered_on, std::this_thread::get_id());
  EXPECT_NE(worked_on, std::this_thread::get_id());
  EXPECT_NE(worked_on, std::thread::id());
}

TEST(DiskThread, TheHomeThreadServesOtherWorkWhileTheDiskIsSlow) {
  boost::asio::io_context home;
  auto guard = boost::asio::make_work_guard(home);
  DiskThread disk(home.get_executor());
  std::promise<void> disk_may_finish;
  auto finish = disk_may_finish.get_future();
  std::vector<std::string> order;
  disk.run(
      [&] {
        finish.wait();  // a write stuck on the disk
        return true;
      },
      [&](DiskResult<bool>) {
        order.push_back("written");
        guard.reset();
      });
  // Meanwhile the home thread answers something else, and only then lets the disk finish.
  boost::asio::post(home, [&] {
    order.push_back("served");
    disk_may_finish.set_value();
  });
  home.run();
  EXPECT_EQ(order, (std::vector<std::string>{"served", "written"}));
}

TEST(DiskThread, AnExceptionArrivesAsTheResultsError) {
  boost::asio::io_context home;
  DiskThread disk(home.get_executor());
  DiskResult<int> got;
  disk.run([]() -> int { throw std::runtime_error("disk full"); },
           [&](DiskResult<int> result) { got = std::move(result); });
  home.run();
  EXPECT_FALSE(got.value);
  EXPECT_EQ(got.error, "disk full");
}

TEST(DiskThread, PiecesRunInTheOrderGiven) {
  boost::asio::io_context home;
  DiskThread disk(home.get_executor());
  std::vector<int> worked, answered;
  for (int i = 0; i < 50; ++i)
    disk.run(
        [&worked, i] {
          worked.push_back(i);  // one disk thread: no lock needed
          return i;
        },
        [&answered](DiskResult<int> result) { answered.push_back(*result.value); });
  home.run();
  ASSERT_EQ(worked.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(worked[i], i);
    EXPECT_EQ(answered[i], i);
  }
}

TEST(DiskThread, GoingAwayWaitsForTheWorkGiven) {
  boost::asio::io_context home;
  std::atomic<bool> written{false};
  {
    DiskThread disk(home.get_executor());
    disk.run(
        [&] {
          std::this_thread::sleep_for(200ms);
          written = true;
          return true;
        },
        [](DiskResult<bool>) {});
  }
  EXPECT_TRUE(written);
}

}  // namespace
}  // namespace puente::app
