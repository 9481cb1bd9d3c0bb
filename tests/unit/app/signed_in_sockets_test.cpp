// SignedInSockets (app/live/signed_in_sockets.hpp): a whole sweep checks every signed-in token; the
// sweep a quiet tick makes checks only the tokens signed in since the last sweep, so a socket that
// registers after a revocation was swept is still signed out within a tick, and the tick costs
// nothing per socket already checked.
#include "app/live/signed_in_sockets.hpp"

#include <gtest/gtest.h>

#include <set>

namespace puente::app {
namespace {

class Peer : public SignedInPeer {
 public:
  void sign_out(const Refusal& why) override { reasons.push_back(why.message()); }
  std::vector<std::string> reasons;
};

class SignedIn : public ::testing::Test {
 protected:
  std::shared_ptr<Peer> peer(const std::string& token_id) {
    auto p = std::make_shared<Peer>();
    peers.push_back(p);
    sockets.add(token_id, p);
    return p;
  }
  // Sweeps (all, or those added since) keeping every token but `bad`; the tokens it asked about.
  std::multiset<std::string> sweep(bool every_socket, const std::string& bad = "") {
    std::multiset<std::string> asked;
    auto keep = [&](const std::string& id) {
      asked.insert(id);
      return id != bad;
    };
    auto why = [](const std::string& id) { return Refusal::forbidden(id + " is revoked"); };
    every_socket ? sockets.sign_out_unless(keep, why) : sockets.sign_out_added_unless(keep, why);
    return asked;
  }

  SignedInSockets sockets;
  std::vector<std::shared_ptr<Peer>> peers;
};

TEST_F(SignedIn, AWholeSweepChecksEveryTokenOnce) {
  peer("tok-1");
  peer("tok-1");
  peer("tok-2");
  EXPECT_EQ(sweep(true), (std::multiset<std::string>{"tok-1", "tok-2"}));
}

TEST_F(SignedIn, AQuietTickChecksOnlyTheTokensSignedInSinceTheLastSweep) {
  for (int i = 0; i < 100; ++i) peer("tok-" + std::to_string(i));
  EXPECT_EQ(sweep(true).size(), 100u);
  EXPECT_TRUE(sweep(false).empty()) << "nothing signed in since: no socket checked";
  peer("tok-new");
  peer("tok-new");
  peer("tok-7");  // a second socket of a token checked already
  EXPECT_EQ(sweep(false), (std::multiset<std::string>{"tok-7", "tok-new"}));
  EXPECT_TRUE(sweep(false).empty()) << "each checked once";
  peer("tok-late");
  EXPECT_EQ(sweep(true).size(), 102u);
  EXPECT_TRUE(sweep(false).empty()) << "a whole sweep checked the new ones too";
  EXPECT_EQ(sockets.size(), 104u) << "none signed out";
}

TEST_F(SignedIn, ASocketThatRegistersAfterItsTokenWasSweptIsSignedOutByTheNextTick) {
  auto before = peer("tok-1");
  sweep(true, "tok-1");  // the revocation's sweep
  ASSERT_EQ(before->reasons.size(), 1u);
  // The socket whose hello was checked before the revocation registers after its sweep.
  auto late = peer("tok-1");
  auto other = peer("tok-2");
  sweep(false, "tok-1");
  ASSERT_EQ(late->reasons.size(), 1u);
  EXPECT_EQ(late->reasons[0], "tok-1 is revoked");
  EXPECT_TRUE(other->reasons.empty());
  EXPECT_EQ(sockets.size(), 1u);
}

TEST_F(SignedIn, ASocketGoneBeforeTheTickIsNotChecked) {
  auto p = peer("tok-1");
  sockets.remove("tok-1", p.get());
  EXPECT_TRUE(sweep(false).empty());
}

}  // namespace
}  // namespace puente::app
