// The node's rate limiter with several networks (issue 23, access/rate_limiter.hpp): each
// network's view keeps its own per-token buckets, since two networks may each have a responder
// `admin` whose roster token goes by "roster-admin"; an address's buckets are the node's, one
// client whichever network it tries.
#include "app/access/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace puente::app {
namespace {

RateLimits two_requests() {
  RateLimits limits;
  limits.requests_per_token = {0.001, 2};  // two, then nothing for a long while
  return limits;
}

TEST(RateLimiter, TwoNetworksTokensOfTheSameIdHaveBucketsOfTheirOwn) {
  RateLimiter node;
  auto city = node.for_network("la-city");
  auto county = node.for_network("la-county");
  const auto limits = two_requests();
  EXPECT_FALSE(city.take_request("GET /v1/network", "roster-admin", limits));
  EXPECT_FALSE(city.take_request("GET /v1/network", "roster-admin", limits));
  EXPECT_TRUE(city.take_request("GET /v1/network", "roster-admin", limits)) << "past the burst";
  // The county's admin is someone else: a full bucket.
  EXPECT_FALSE(county.take_request("GET /v1/network", "roster-admin", limits));
  // The same network's view again shares the city's buckets.
  EXPECT_TRUE(node.for_network("la-city").take_request("GET /v1/network", "roster-admin", limits));
}

TEST(RateLimiter, AnAddressIsOneClientWhicheverNetworkItTries) {
  RateLimiter node;
  auto city = node.for_network("la-city");
  auto county = node.for_network("la-county");
  const core::RateLimit two{0.001, 2};
  EXPECT_FALSE(city.take("failed-sign-ins", "10.0.0.7", two));
  EXPECT_FALSE(county.take("failed-sign-ins", "10.0.0.7", two));
  EXPECT_TRUE(node.take("failed-sign-ins", "10.0.0.7", two)) << "the address's third try";
  EXPECT_TRUE(city.take("failed-sign-ins", "10.0.0.7", two));
}

}  // namespace
}  // namespace puente::app
