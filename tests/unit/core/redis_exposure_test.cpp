// A node refuses a Redis (or Sentinel) it would reach off its own host without AUTH, unless the
// config vouches for the network (core/redis_exposure.hpp).

#include "core/redis_exposure.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(RedisExposure, LoopbackHostsAreTheOnesOnThisMachine) {
  for (const char* host : {"localhost", "127.0.0.1", "127.3.2.1", "::1", "[::1]"})
    EXPECT_TRUE(is_loopback_host(host)) << host;
  for (const char* host : {"10.0.0.11", "redis.internal", "0.0.0.0", "::", "localhost.evil.org",
                           "128.0.0.1", "", "[10.0.0.1]"})
    EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(RedisExposure, LoopbackRedisNeedsNoAuth) {
  EXPECT_EQ(unprotected_redis_access({"127.0.0.1", {}, false, false, false}), std::nullopt);
  EXPECT_EQ(unprotected_redis_access({"localhost", {}, false, false, false}), std::nullopt);
}

TEST(RedisExposure, RemoteRedisWithoutAuthIsRefusedNamingTheFix) {
  const auto why = unprotected_redis_access({"10.0.0.11", {}, false, false, false});
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("10.0.0.11"), std::string::npos) << *why;
  EXPECT_NE(why->find("allow_unauthenticated_remote"), std::string::npos) << *why;
  EXPECT_NE(why->find("[redis] user"), std::string::npos) << *why;
}

TEST(RedisExposure, RemoteRedisWithAuthOrExplicitAllowanceStarts) {
  EXPECT_EQ(unprotected_redis_access({"10.0.0.11", {}, true, false, false}), std::nullopt);
  EXPECT_EQ(unprotected_redis_access({"10.0.0.11", {}, false, false, true}), std::nullopt);
}

TEST(RedisExposure, RemoteSentinelWithoutSentinelAuthIsRefused) {
  const auto why = unprotected_redis_access({"", {"127.0.0.1", "10.0.0.12"}, true, false, false});
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("10.0.0.12"), std::string::npos) << *why;
  EXPECT_NE(why->find("sentinel_user"), std::string::npos) << *why;
  EXPECT_EQ(unprotected_redis_access({"", {"127.0.0.1", "10.0.0.12"}, true, true, false}),
            std::nullopt);
}

TEST(RedisExposure, RemoteSentinelsMayNameARemotePrimarySoRedisAuthIsRequired) {
  // The address is ignored with sentinels: a loopback address does not make it safe.
  const auto why = unprotected_redis_access({"127.0.0.1", {"10.0.0.11"}, false, true, false});
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("[redis] user"), std::string::npos) << *why;
}

TEST(RedisExposure, LoopbackSentinelsWithoutAuthStart) {
  EXPECT_EQ(unprotected_redis_access({"", {"127.0.0.1", "localhost"}, false, false, false}),
            std::nullopt);
}

TEST(RedisExposure, ExplicitAllowanceLiftsTheSentinelRulesToo) {
  EXPECT_EQ(unprotected_redis_access({"", {"10.0.0.11"}, false, false, true}), std::nullopt);
}

}  // namespace
}  // namespace puente::core
