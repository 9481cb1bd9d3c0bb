// TokenRegistry: roster tokens and issued ones, expiry, revocation (also of a roster token),
// the id a sign-in names, and what the socket sweep asks of it (its generation, the next expiry).

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

TEST(TokenRegistry, ATokenHashedOnceSignsInAsItsTextDoes) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  tokens.replace_issued({{"tok-1", "jose", sha256_hex("phone"), now + 1h, std::nullopt}});
  for (std::string_view text : {"roster-secret", "phone", "guess", ""}) {
    const auto by_text = tokens.sign_in(text, now);
    const auto by_digest = tokens.sign_in(PresentedToken(text), now);
    EXPECT_EQ(by_digest.who, by_text.who) << text;
    EXPECT_EQ(by_digest.token_id, by_text.token_id) << text;
    EXPECT_EQ(by_digest.failure, by_text.failure) << text;
  }
  EXPECT_EQ(PresentedToken("phone").sha256_hex(), sha256_hex("phone"));
  EXPECT_TRUE(PresentedToken("").empty());
}

TEST(TokenRegistry, EveryChangeGrowsTheGenerationAndNothingElseDoes) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  auto seen = tokens.generation();
  auto changed = [&] {
    const auto now_at = tokens.generation();
    const bool grew = now_at > seen;
    seen = now_at;
    return grew;
  };
  tokens.replace_issued({{"tok-1", "jose", sha256_hex("phone"), now + 1h, std::nullopt}});
  EXPECT_TRUE(changed()) << "a whole load";
  tokens.sign_in("phone", now);
  tokens.usable("tok-1", now);
  tokens.find("roster-maria");
  EXPECT_FALSE(changed()) << "lookups change nothing";
  tokens.update_issued({"tok-1", "jose", sha256_hex("phone"), now + 1h, now});
  EXPECT_TRUE(changed()) << "an update";
  EXPECT_TRUE(tokens.keep_revocation(
      {"roster-maria", "maria", sha256_hex("roster-secret"), std::nullopt, now}));
  EXPECT_TRUE(changed()) << "a kept revocation";
  EXPECT_FALSE(tokens.keep_revocation(
      {"roster-maria", "maria", sha256_hex("roster-secret"), std::nullopt, now}));
  EXPECT_FALSE(changed()) << "a revocation kept already";
}

TEST(TokenRegistry, TheNextExpiryIsTheFirstAfterNowOfARecordStillUnrevoked) {
  TokenRegistry tokens(roster());
  auto now = Clock::now();
  EXPECT_EQ(tokens.next_expiry_after(now), std::nullopt) << "roster tokens never expire";
  tokens.replace_issued({{"tok-1", "jose", sha256_hex("a"), now + 3h, std::nullopt},
                         {"tok-2", "jose", sha256_hex("b"), now + 1h, std::nullopt},
                         {"tok-3", "jose", sha256_hex("c"), std::nullopt, std::nullopt},
                         {"tok-4", "jose", sha256_hex("d"), now + 2h, std::nullopt}});
  EXPECT_EQ(tokens.next_expiry_after(now), now + 1h);
  // At its expiry a token is no longer usable: the next one is the one after.
  EXPECT_FALSE(tokens.usable("tok-2", now + 1h));
  EXPECT_EQ(tokens.next_expiry_after(now + 1h), now + 2h);
  EXPECT_EQ(tokens.next_expiry_after(now + 3h), std::nullopt);
  // A revoked token was signed out when it was revoked: its expiry is no reason to look again.
  tokens.update_issued({"tok-2", "jose", sha256_hex("b"), now + 1h, now});
  EXPECT_EQ(tokens.next_expiry_after(now), now + 2h);
  EXPECT_TRUE(tokens.keep_revocation({"tok-4", "jose", sha256_hex("d"), now + 2h, now}));
  EXPECT_EQ(tokens.next_expiry_after(now), now + 3h);
}

}  // namespace
}  // namespace puente::core
