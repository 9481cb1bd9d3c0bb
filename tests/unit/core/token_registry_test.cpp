// TokenRegistry: roster tokens and issued ones, expiry, revocation (also of a roster token),
// and the id a sign-in names.

#include "core/token_registry.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

const Roster& roster() {
  static const Roster r = Roster::from_toml(
      "[[responder]]\nid = \"maria\"\nroles = [\"legal_observer\"]\ntoken_sha256 = \"" +
      sha256_hex("roster-secret") + "\"\n[[responder]]\nid = \"jose\"\nroles = [\"volunteer\"]\n");
  return r;
}

TEST(TokenRegistry, RosterTokensSignInUnderTheirRosterId) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  auto in = tokens.sign_in("roster-secret", now);
  ASSERT_NE(in.who, nullptr);
  EXPECT_EQ(in.who->id, "maria");
  EXPECT_EQ(in.token_id, "roster-maria");
  EXPECT_TRUE(tokens.usable("roster-maria", now));
  EXPECT_EQ(tokens.sign_in("guess", now).failure, SignInFailure::unknown);
  EXPECT_EQ(tokens.sign_in("", now).failure, SignInFailure::missing);
}

TEST(TokenRegistry, IssuedTokensExpireAndAreRevoked) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  tokens.replace_issued({{"tok-1", "jose", sha256_hex("phone"), now + 1h, std::nullopt}});
  auto in = tokens.sign_in("phone", now);
  ASSERT_NE(in.who, nullptr);
  EXPECT_EQ(in.who->id, "jose");
  EXPECT_EQ(in.token_id, "tok-1");
  EXPECT_EQ(tokens.sign_in("phone", now + 2h).failure, SignInFailure::expired);
  EXPECT_FALSE(tokens.usable("tok-1", now + 2h));

  tokens.update_issued({"tok-1", "jose", sha256_hex("phone"), now + 1h, now});
  EXPECT_EQ(tokens.sign_in("phone", now).failure, SignInFailure::revoked);
  EXPECT_FALSE(tokens.usable("tok-1", now));
}

TEST(TokenRegistry, ARevokedRosterTokenIsRefusedAndAFullReloadKeepsItRevoked) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  TokenRecord revoked{"roster-maria", "maria", sha256_hex("roster-secret"), std::nullopt, now};
  tokens.update_issued(revoked);
  EXPECT_EQ(tokens.sign_in("roster-secret", now).failure, SignInFailure::revoked);
  tokens.replace_issued({revoked});
  EXPECT_EQ(tokens.sign_in("roster-secret", now).failure, SignInFailure::revoked);
  EXPECT_FALSE(tokens.usable("roster-maria", now));
  // Listed once, as revoked.
  int listed = 0;
  for (const auto& record : tokens.all())
    if (record.id == "roster-maria") {
      ++listed;
      EXPECT_TRUE(record.revoked_at.has_value());
    }
  EXPECT_EQ(listed, 1);
}

TEST(TokenRegistry, AnIssuedTokenWhoseRecordRedisNoLongerHoldsSignsInNoOne) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  tokens.replace_issued({{"tok-1", "jose", sha256_hex("phone"), std::nullopt, std::nullopt}});
  ASSERT_NE(tokens.sign_in("phone", now).who, nullptr);
  tokens.replace_issued({});
  EXPECT_EQ(tokens.sign_in("phone", now).failure, SignInFailure::unknown);
  EXPECT_FALSE(tokens.usable("tok-1", now));
}

TEST(TokenRegistry, AKeptRevocationOutlivesWhatRedisSays) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  TokenRecord revoked{"roster-maria", "maria", sha256_hex("roster-secret"), std::nullopt, now};
  EXPECT_TRUE(tokens.keep_revocation(revoked));
  EXPECT_FALSE(tokens.keep_revocation(revoked)) << "kept twice";
  EXPECT_FALSE(
      tokens.keep_revocation({"tok-9", "jose", sha256_hex("x"), std::nullopt, std::nullopt}))
      << "an unrevoked record is no revocation";

  // Redis lost the record (deleted, an old backup), then shows it unrevoked: still refused.
  tokens.replace_issued({});
  EXPECT_EQ(tokens.sign_in("roster-secret", now).failure, SignInFailure::revoked);
  EXPECT_FALSE(tokens.usable("roster-maria", now));
  EXPECT_EQ(tokens.revocations_missing_from({}).size(), 1u);
  TokenRecord unrevoked = revoked;
  unrevoked.revoked_at.reset();
  tokens.update_issued(unrevoked);
  EXPECT_EQ(tokens.sign_in("roster-secret", now).failure, SignInFailure::revoked);
  tokens.replace_issued({unrevoked});
  EXPECT_EQ(tokens.sign_in("roster-secret", now).failure, SignInFailure::revoked);
  EXPECT_EQ(tokens.revocations_missing_from({unrevoked}).size(), 1u);
  EXPECT_TRUE(tokens.revocations_missing_from({revoked}).empty());
  // Redis holds the id for another revoked token (the roster gave maria a new one, revoked
  // since): that revocation is the newer, nothing to restore.
  TokenRecord replaced{"roster-maria", "maria", sha256_hex("new-secret"), std::nullopt, now};
  EXPECT_TRUE(tokens.revocations_missing_from({replaced}).empty());
  // Redis holds the id for another token, unrevoked (written by hand: no admin path does that):
  // the kept token is still refused, at sign-in and by id, and its revocation is written back.
  TokenRecord forged{"roster-maria", "maria", sha256_hex("forged"), std::nullopt, std::nullopt};
  tokens.replace_issued({forged});
  EXPECT_EQ(tokens.sign_in("roster-secret", now).failure, SignInFailure::revoked);
  EXPECT_FALSE(tokens.usable("roster-maria", now)) << "the roster's token is the kept one";
  EXPECT_EQ(tokens.revocations_missing_from({forged}).size(), 1u);
  // The other roster tokens are untouched.
  tokens.replace_issued({{"tok-1", "jose", sha256_hex("phone"), std::nullopt, std::nullopt}});
  EXPECT_NE(tokens.sign_in("phone", now).who, nullptr);
}

TEST(TokenRegistry, ATokenOfSomeoneWhoLeftTheRosterSignsInNoOne) {
  TokenRegistry tokens(roster());
  tokens.replace_issued({{"tok-2", "gone", sha256_hex("old"), std::nullopt, std::nullopt}});
  auto in = tokens.sign_in("old", Clock::now());
  EXPECT_EQ(in.who, nullptr);
  EXPECT_EQ(in.failure, SignInFailure::unknown);
}

}  // namespace
}  // namespace puente::core
