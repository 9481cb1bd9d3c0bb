// Bearer tokens issued by the server: an admin issues one (shown once, only its hash kept),
// every node accepts it; revoking it through one node refuses it on every node and signs out
// its sockets there, while the responder's other sockets stay; a token that runs out is
// refused and its sockets signed out; roster tokens can be revoked the same way. Redis alone
// cannot undo a revocation, and an issued token whose record Redis lost is refused at once.
#include "cluster_config.hpp"
#include "test_network.hpp"

#include "connection_error.hpp"
#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "redis/key_slot.hpp"
#include "redis_probe.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

class Tokens : public ::testing::Test {
 protected:
  explicit Tokens(const std::string& extra_config = "", const std::string& extra_redis = "")
      : net(extra_config, "", extra_redis) {}

  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  v1::IssuedToken issue(const std::string& responder, int expires_in_seconds = 0) {
    auto response = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                            R"({"responderId":")" + responder + R"(","expiresInSeconds":)" +
                                std::to_string(expires_in_seconds) + R"(,"note":"test phone"})");
    EXPECT_EQ(response.status, 201) << response.body;
    v1::IssuedToken issued;
    EXPECT_EQ(wire::from_json(response.body, issued), "");
    return issued;
  }

  // The status and body of the refusal `token` gets from `node`, or "" if it is accepted.
  static std::string refusal_code(PuentedNode& node, const std::string& token) {
    auto response =
        node.call(http::verb::get, "/v1/neighborhoods/locate?lat=34.0335&lon=-118.211", token);
    if (response.status == 200) return "";
    return std::to_string(response.status) + " " + response.body;
  }

  // Reads until the server signs the socket out: its error code, then the close.
  static std::string signed_out_code(client::WsClient& socket) {
    std::string code;
    try {
      auto error = read_until(socket, [](const v1::ServerMessage& m) { return m.has_error(); });
      if (error) code = error->error().code();
      while (socket.read_message(socket_wait)) {
      }
    } catch (const client::ConnectionError&) {
    }
    EXPECT_FALSE(socket.is_open());
    return code;
  }
};

TEST_F(Tokens, AnIssuedTokenWorksEverywhereUntilRevokedThenItsSocketsAreSignedOut) {
  auto issued = issue("obs-bh");
  EXPECT_EQ(issued.token().size(), 43u) << "256 random bits, base64url";
  EXPECT_TRUE(issued.token_sha256().empty()) << "the hash is never sent out";
  EXPECT_TRUE(issued.id().starts_with("tok-")) << issued.id();

  // Node B learns of it through Redis.
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).empty(); }))
      << refusal_code(*b, issued.token());
  auto phone = b->socket(issued.token(), {"boyle-heights"});
  auto laptop =
      b->socket(net.token("obs-bh"), {"boyle-heights"});  // the same observer's roster token

  auto revoked =
      a->call(http::verb::post, "/v1/admin/tokens/" + issued.id() + "/revoke", net.token("admin"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_NE(revoked.body.find("revokedAt"), std::string::npos) << revoked.body;

  EXPECT_EQ(signed_out_code(*phone), "bad_token");
  for (auto* node : {a.get(), b.get()})
    EXPECT_TRUE(wait_until([&] {
      return refusal_code(*node, issued.token()).find("bad_token") != std::string::npos;
    })) << node->name()
        << ": " << refusal_code(*node, issued.token());
  auto again = b->raw_socket();
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(issued.token());
  again->send(hello);
  EXPECT_EQ(signed_out_code(*again), "bad_token");

  // The observer's other socket still gets alerts.
  auto reported = a->call(http::verb::post, "/v1/reports", net.token("op"),
                          report_json(boyle_heights.lat, boyle_heights.lon));
  ASSERT_EQ(reported.status, 201) << reported.body;
  EXPECT_TRUE(next_alert(*laptop)) << "a socket of another token was signed out too";
}

// An admin revokes a lost phone's token through whichever node answers, the moment it was
// issued through another: the node that has not heard of it yet finds it in Redis.
TEST_F(Tokens, ATokenIssuedThroughOneNodeIsRevokedAtOnceThroughAnother) {
  // Redis stops announcing changes to the tokens hash: node b does not hear of the new tokens
  // before its reload a minute later, as if the announcement were still on its way.
  EXPECT_EQ(net.redis_line("CONFIG SET notify-keyspace-events Ex"), "+OK");
  for (int i = 0; i < 3; ++i) {
    auto issued = issue("obs-bh");
    auto revoked = b->call(http::verb::post, "/v1/admin/tokens/" + issued.id() + "/revoke",
                           net.token("admin"));
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_NE(revoked.body.find("revokedAt"), std::string::npos) << revoked.body;
  }
  auto unknown =
      b->call(http::verb::post, "/v1/admin/tokens/tok-0000000000000000/revoke", net.token("admin"));
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

TEST_F(Tokens, AnExpiredTokenIsRefusedAndItsSocketSignedOut) {
  auto issued = issue("vol-bh", 5);
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).empty(); }));
  auto socket = b->socket(issued.token(), {"boyle-heights"});
  EXPECT_EQ(signed_out_code(*socket), "bad_token");
  EXPECT_NE(refusal_code(*a, issued.token()).find("bad_token"), std::string::npos);
}

TEST_F(Tokens, ARosterTokenCanBeRevokedAndTheListShowsNoSecrets) {
  auto before = a->call(http::verb::get, "/v1/admin/tokens?responder=vol-bh", net.token("admin"));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_NE(before.body.find("roster-vol-bh"), std::string::npos) << before.body;
  EXPECT_EQ(before.body.find("tokenSha256"), std::string::npos) << before.body;

  auto revoked =
      b->call(http::verb::post, "/v1/admin/tokens/roster-vol-bh/revoke", net.token("admin"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(wait_until([&] {
    return refusal_code(*a, net.token("vol-bh")).find("bad_token") != std::string::npos;
  }));

  issue("obs-bh");
  auto all = a->call(http::verb::get, "/v1/admin/tokens", net.token("admin"));
  v1::TokenList list;
  ASSERT_EQ(wire::from_json(all.body, list), "") << all.body;
  int issued = 0;
  for (const auto& token : list.tokens()) {
    EXPECT_TRUE(token.token().empty() && token.token_sha256().empty()) << token.id();
    if (token.id().starts_with("tok-")) {
      ++issued;
      EXPECT_EQ(token.note(), "test phone");
    }
  }
  EXPECT_EQ(issued, 1);
}

// Issue 15 item 6: a deleted issued-token record left the token valid up to a minute (the
// whole reload). The nodes here reload each minute (the default): only Redis's notification of
// the deletion can explain a refusal within seconds.
TEST_F(Tokens, AnIssuedTokenWhoseRecordIsDeletedInRedisIsRefusedAtOnceOnEveryNode) {
  auto issued = issue("obs-bh");
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).empty(); }))
      << refusal_code(*b, issued.token());
  auto phone = b->socket(issued.token(), {"boyle-heights"});
  ASSERT_EQ(net.redis_integer("HDEL puente:tokens " + issued.id()), 1);

  for (auto* node : {a.get(), b.get()})
    EXPECT_TRUE(
        wait_until([&] { return refusal_code(*node, issued.token()).starts_with("401"); }, 5s))
        << node->name()
        << " still accepts a token Redis does not know: " << refusal_code(*node, issued.token());
  EXPECT_FALSE(signed_out_code(*phone).empty());
  EXPECT_EQ(refusal_code(*a, net.token("obs-bh")), "") << "the roster token went too";
}

// The nodes on a Redis Cluster (issue 23): a new token is announced on the sharded changes
// channel, and a record deleted by hand is announced by the keyspace notification of the
// network's slot's primary, the node the subscribers hold their classic SUBSCRIBE on.
struct ClusterFirst {
  RedisCluster cluster;
};
class TokensOnACluster : private ClusterFirst, public Tokens {
 protected:
  TokensOnACluster() : Tokens("", cluster_redis_lines(cluster)) {}
  unsigned short primary() const {
    return *cluster.primary_of_slot(redis::key_slot("puente:{la}:"), cluster.ports()[0]);
  }
};

TEST_F(TokensOnACluster, AnIssuedTokenReachesEveryNodeAndADeletedRecordIsRefusedEverywhere) {
  auto issued = issue("obs-bh");
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).empty(); }))
      << refusal_code(*b, issued.token());
  auto phone = b->socket(issued.token(), {"boyle-heights"});

  const auto deleted = ask_redis(primary(), {"HDEL", "puente:{la}:tokens", issued.id()});
  ASSERT_TRUE(deleted && deleted->type == REDIS_REPLY_INTEGER && deleted->integer == 1)
      << "the record is not on the slot's primary";
  for (auto* node : {a.get(), b.get()})
    EXPECT_TRUE(
        wait_until([&] { return refusal_code(*node, issued.token()).starts_with("401"); }, 5s))
        << node->name() << " still accepts a token the cluster does not know";
  EXPECT_FALSE(signed_out_code(*phone).empty());
}

// Nodes that load every token from Redis each second, so that within seconds a revocation Redis
// lost would be forgotten if Redis alone held it.
class TokensReloadedEachSecond : public Tokens {
 protected:
  TokensReloadedEachSecond() : Tokens("[tokens]\nreload_seconds = 1\n") {}

  // True if `token` is refused by every node at every look for `span`.
  bool refused_throughout(const std::string& token, std::chrono::milliseconds span) {
    const auto start = std::chrono::steady_clock::now();
    do {
      for (auto* node : {a.get(), b.get()})
        if (!refusal_code(*node, token).starts_with("401")) {
          ADD_FAILURE() << node->name() << " lets a revoked token back in after "
                        << duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - start)
                               .count()
                        << " ms: " << refusal_code(*node, token);
          return false;
        }
      std::this_thread::sleep_for(100ms);
    } while (std::chrono::steady_clock::now() < start + span);
    return true;
  }
  bool restored_in_audit_log() {
    auto log = a->call(http::verb::get, "/v1/admin/audit", net.token("admin"));
    return log.body.find("token.revocation_restored") != std::string::npos;
  }
};

// Issue 15 item 6: deleting a revoked roster token's record in Redis made the token work again
// at the next whole reload (or at once on a node that started), with no audit entry.
TEST_F(TokensReloadedEachSecond, ARosterTokenRevocationOutlivesItsRecordInRedis) {
  auto revoked =
      b->call(http::verb::post, "/v1/admin/tokens/roster-vol-bh/revoke", net.token("admin"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  ASSERT_TRUE(wait_until([&] { return refusal_code(*a, net.token("vol-bh")).starts_with("401"); }));

  // Deleted under running nodes: five whole reloads later it is still refused everywhere, and
  // the revocation is back in Redis, audited.
  ASSERT_EQ(net.redis_integer("HDEL puente:tokens roster-vol-bh"), 1);
  EXPECT_TRUE(refused_throughout(net.token("vol-bh"), 5s));
  EXPECT_TRUE(wait_until([&] {
    return net.redis_integer("HEXISTS puente:tokens roster-vol-bh") == 1;
  })) << "the revocation was not written back to Redis";
  EXPECT_TRUE(wait_until([&] { return restored_in_audit_log(); }))
      << "no token.revocation_restored in the audit log";

  // The whole hash gone while no node runs (an old backup restored, say): nodes that start then
  // still refuse it, and put it back.
  a.reset();
  b.reset();
  net.redis_integer("DEL puente:tokens");
  a = net.start_node("a");
  b = net.start_node("b");
  EXPECT_TRUE(refused_throughout(net.token("vol-bh"), 3s));
  EXPECT_TRUE(wait_until([&] {
    return net.redis_integer("HEXISTS puente:tokens roster-vol-bh") == 1;
  })) << "the revocation was not written back to Redis after a restart";
  auto listed = a->call(http::verb::get, "/v1/admin/tokens?responder=vol-bh", net.token("admin"));
  EXPECT_NE(listed.body.find("revokedAt"), std::string::npos) << listed.body;
  EXPECT_EQ(refusal_code(*a, net.token("obs-bh")), "") << "another roster token was refused";

  // Kept in the state folder, readable by the node's user alone, and holding no token.
  const auto kept = net.dir() / "state" / "revoked-tokens";
  EXPECT_NE(file_text(kept).find("roster-vol-bh "), std::string::npos) << kept;
  EXPECT_EQ(std::filesystem::status(kept).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(file_text(kept).find(net.token("vol-bh")), std::string::npos);
}

// Issue 15 item 6: a Redis restore (or a stale replica promoted) that predates a revocation
// would un-revoke the token.
TEST_F(TokensReloadedEachSecond, AnIssuedTokenStaysRevokedWhenRedisGetsAnOlderCopyOfTheTokens) {
  auto issued = issue("obs-bh");
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).empty(); }))
      << refusal_code(*b, issued.token());
  ASSERT_EQ(net.redis_integer("COPY puente:tokens puente:tokens-backup"), 1);
  auto revoked =
      a->call(http::verb::post, "/v1/admin/tokens/" + issued.id() + "/revoke", net.token("admin"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).starts_with("401"); }));

  // The backup, from before the revocation, replaces the tokens.
  ASSERT_EQ(net.redis_line("RENAME puente:tokens-backup puente:tokens"), "+OK");
  EXPECT_TRUE(refused_throughout(issued.token(), 5s));
  auto revoked_in_redis = [&] {
    v1::TokenList list;
    auto listed = a->call(http::verb::get, "/v1/admin/tokens?responder=obs-bh", net.token("admin"));
    EXPECT_EQ(wire::from_json(listed.body, list), "") << listed.body;
    return std::any_of(list.tokens().begin(), list.tokens().end(), [&](const v1::IssuedToken& t) {
      return t.id() == issued.id() && t.has_revoked_at();
    });
  };
  EXPECT_TRUE(wait_until(revoked_in_redis)) << "Redis still holds the token unrevoked";
  EXPECT_TRUE(wait_until([&] { return restored_in_audit_log(); }))
      << "no token.revocation_restored in the audit log";
}

TEST_F(Tokens, OnlyAdminsManageTokensAndBadRequestsAreRefused) {
  auto post = [&](const std::string& token, const std::string& body) {
    return a->call(http::verb::post, "/v1/admin/tokens", token, body).status;
  };
  EXPECT_EQ(post(net.token("disp"), R"({"responderId":"obs-bh"})"), 403);
  EXPECT_EQ(a->call(http::verb::get, "/v1/admin/tokens", net.token("obs-bh")).status, 403);
  EXPECT_EQ(a->call(http::verb::post, "/v1/admin/tokens/roster-op/revoke", net.token("op")).status,
            403);
  auto keys = net.redis_key_count();
  EXPECT_EQ(post(net.token("admin"), R"({"responderId":"nobody"})"), 400);
  EXPECT_EQ(post(net.token("admin"), R"({"responderId":"obs-bh","expiresInSeconds":-5})"), 400);
  EXPECT_EQ(post(net.token("admin"), R"({"responderId":"obs-bh","tokenSha256":"ab"})"),
            400);  // unknown field
  EXPECT_EQ(
      a->call(http::verb::post, "/v1/admin/tokens/tok-nope/revoke", net.token("admin")).status,
      404);
  EXPECT_EQ(net.redis_key_count(), keys) << "a refused request stored something";
}

}  // namespace
}  // namespace puente::test
