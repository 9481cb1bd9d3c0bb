// Which network a bearer token belongs to (core/network_choice.hpp): the one whose registry
// knows it, good or stale; one no registry knows belongs to none.

#include "core/network_choice.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

Roster roster_of(const std::string& id, const std::string& token) {
  return Roster::from_toml("[[responder]]\nid = \"" + id +
                           "\"\nroles = [\"operator\"]\ntoken_sha256 = \"" + sha256_hex(token) +
                           "\"\n[[responder]]\nid = \"left-" + id + "\"\nroles = [\"operator\"]\n");
}

class NetworkChoice : public ::testing::Test {
 protected:
  Roster city = roster_of("ana", "city-secret");
  Roster county = roster_of("bo", "county-secret");
  TokenRegistry city_tokens{city}, county_tokens{county};
  std::vector<const TokenRegistry*> registries{&city_tokens, &county_tokens};
  Clock::time_point now = Clock::now();
};

TEST_F(NetworkChoice, AGoodTokenSignsInToItsOwnNetwork) {
  auto in = sign_in_to_networks(registries, "county-secret", now);
  EXPECT_EQ(in.network, 1u);
  EXPECT_TRUE(in.known);
  ASSERT_NE(in.sign_in.who, nullptr);
  EXPECT_EQ(in.sign_in.who->id, "bo");
  EXPECT_EQ(in.sign_in.token_id, "roster-bo");
}

TEST_F(NetworkChoice, AStaleTokenBelongsToTheNetworkThatKnowsIt) {
  county_tokens.replace_issued(
      {{"tok-old", "bo", sha256_hex("expired"), now - 1h, std::nullopt},
       // Issued to someone who has since left the county's roster.
       {"tok-gone", "gone", sha256_hex("orphan"), std::nullopt, std::nullopt}});
  auto expired = sign_in_to_networks(registries, "expired", now);
  EXPECT_EQ(expired.network, 1u);
  EXPECT_TRUE(expired.known);
  EXPECT_EQ(expired.sign_in.failure, SignInFailure::expired);
  EXPECT_EQ(expired.sign_in.token_id, "tok-old");
  auto orphan = sign_in_to_networks(registries, "orphan", now);
  EXPECT_EQ(orphan.network, 1u);
  EXPECT_TRUE(orphan.known);
  EXPECT_EQ(orphan.sign_in.failure, SignInFailure::unknown);
}

TEST_F(NetworkChoice, ATokenNoNetworkKnowsBelongsToNone) {
  auto in = sign_in_to_networks(registries, "a guess", now);
  EXPECT_FALSE(in.known);
  EXPECT_EQ(in.network, 0u) << "refused by the first, as a node of one network refuses it";
  EXPECT_EQ(in.sign_in.who, nullptr);
  EXPECT_EQ(in.sign_in.failure, SignInFailure::unknown);
  EXPECT_EQ(sign_in_to_networks(registries, "", now).sign_in.failure, SignInFailure::missing);
}

}  // namespace
}  // namespace puente::core
