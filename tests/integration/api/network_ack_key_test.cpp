// The node's copy of the network's ack key (app/access/network_ack_key.hpp), against a real
// Redis: loaded once Redis answers, even when it comes up after the node started; the key Redis
// holds is the one loaded; whoever waits for it (the push dispatch, which mints with it) is
// called once with it, before or after it loaded.
#include "app/access/network_ack_key.hpp"

#include "core/clock.hpp"
#include "io_threads.hpp"
#include "redis_server.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

namespace puente::app {
namespace {

TEST(NetworkAckKey, LoadsTheKeyRedisHoldsAndTellsThoseWhoWait) {
  test::RedisServer redis;
  test::IoThreads io{2};
  redis::ConnectionOptions options;
  options.endpoint.port = redis.port();
  auto connection = redis::Connection::create(io.executor(), options);
  store::AckKeyStore store(connection, store::Keys("test:"));
  auto key = std::make_shared<NetworkAckKey>(io.executor(), store);

  // Asked for before the link is even up: it keeps trying.
  std::atomic<int> early = 0, late = 0;
  std::shared_ptr<const core::AckCapabilityKey> told;
  key->when_loaded([&](std::shared_ptr<const core::AckCapabilityKey> k) {
    told = k;
    ++early;
  });
  key->start();
  EXPECT_FALSE(key->key());
  connection->start();
  ASSERT_TRUE(test::wait_until([&] { return key->key() != nullptr; }));
  ASSERT_TRUE(test::wait_until([&] { return early == 1; }));
  EXPECT_EQ(told, key->key());
  key->when_loaded([&](std::shared_ptr<const core::AckCapabilityKey> k) {
    EXPECT_EQ(k, key->key());
    ++late;
  });
  EXPECT_EQ(late, 1) << "loaded already: at once";
  EXPECT_EQ(early, 1) << "once";

  // A capability it mints is good under another node's copy of the same Redis key.
  auto other = std::make_shared<NetworkAckKey>(io.executor(), store);
  other->start();
  ASSERT_TRUE(test::wait_until([&] { return other->key() != nullptr; }));
  const core::AckCapability capability{.alert_id = "al-0123456789abcdef",
                                       .responder_id = "obs-maria",
                                       .subscription_id = "psub-0123456789abcdef",
                                       // Kept to the second (ack_capability.hpp).
                                       .expires_at = std::chrono::floor<std::chrono::seconds>(
                                           core::Clock::now() + std::chrono::hours(1))};
  EXPECT_EQ(other->key()->verify(key->key()->mint(capability), core::Clock::now()), capability);

  key->stop();
  other->stop();
  connection->stop();
}

}  // namespace
}  // namespace puente::app
