// The pool of idle push connections: one per origin list, the newest taken first, at most so
// many idle per origin, none older than the idle limit.
#include "channels/push/push_connection_pool.hpp"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

namespace puente::push {
namespace {

using namespace std::chrono_literals;

class PushConnectionPoolTest : public ::testing::Test {
 protected:
  std::shared_ptr<boost::asio::ssl::context> tls_ =
      std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  boost::asio::io_context io_;
};

TEST_F(PushConnectionPoolTest, TakesTheNewestIdleConnectionOfThatOriginOnly) {
  PushConnectionPool pool(tls_);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com"), nullptr);
  auto older = pool.make_stream(io_.get_executor());
  auto newer = pool.make_stream(io_.get_executor());
  const auto* newest = newer.get();
  pool.give_back("https://fcm.googleapis.com", std::move(older));
  pool.give_back("https://fcm.googleapis.com", std::move(newer));
  EXPECT_EQ(pool.take("https://web.push.apple.com"), nullptr);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com").get(), newest);
  EXPECT_EQ(pool.idle_count("https://fcm.googleapis.com"), 1u);
  EXPECT_NE(pool.take("https://fcm.googleapis.com"), nullptr);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com"), nullptr);
}

TEST_F(PushConnectionPoolTest, KeepsAtMostTheLimitPerOriginDroppingTheOldest) {
  PushConnectionPool pool(tls_, 3);
  std::vector<const PushStream*> given;
  for (int i = 0; i < 5; ++i) {
    auto stream = pool.make_stream(io_.get_executor());
    given.push_back(stream.get());
    pool.give_back("https://fcm.googleapis.com", std::move(stream));
  }
  EXPECT_EQ(pool.idle_count("https://fcm.googleapis.com"), 3u);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com").get(), given[4]);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com").get(), given[3]);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com").get(), given[2]);
  EXPECT_EQ(pool.take("https://fcm.googleapis.com"), nullptr);
}

TEST_F(PushConnectionPoolTest, AConnectionIdlePastTheLimitIsNeverTaken) {
  PushConnectionPool pool(tls_, 16, 0s);  // every idle connection is already too old
  pool.give_back("https://fcm.googleapis.com", pool.make_stream(io_.get_executor()));
  EXPECT_EQ(pool.take("https://fcm.googleapis.com"), nullptr);
  EXPECT_EQ(pool.idle_count("https://fcm.googleapis.com"), 0u);
}

}  // namespace
}  // namespace puente::push
