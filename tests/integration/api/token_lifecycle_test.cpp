// Bearer tokens issued by the server: an admin issues one (shown once, only its hash kept),
// every node accepts it; revoking it through one node refuses it on every node and signs out
// its sockets there, while the responder's other sockets stay; a token that runs out is
// refused and its sockets signed out; roster tokens can be revoked the same way.
#include "test_network.hpp"

#include "connection_error.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

class Tokens : public ::testing::Test {
 protected:
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
    auto response = node.call(http::verb::get, "/v1/neighborhoods/locate?lat=34.0335&lon=-118.211", token);
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
  ASSERT_TRUE(wait_until([&] { return refusal_code(*b, issued.token()).empty(); })) << refusal_code(*b, issued.token());
  auto phone = b->socket(issued.token(), {"boyle-heights"});
  auto laptop = b->socket(net.token("obs-bh"), {"boyle-heights"});  // the same observer's roster token

  auto revoked = a->call(http::verb::post, "/v1/admin/tokens/" + issued.id() + "/revoke", net.token("admin"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_NE(revoked.body.find("revokedAt"), std::string::npos) << revoked.body;

  EXPECT_EQ(signed_out_code(*phone), "bad_token");
  for (auto* node : {a.get(), b.get()})
    EXPECT_TRUE(wait_until([&] { return refusal_code(*node, issued.token()).find("bad_token") != std::string::npos; }))
        << node->name() << ": " << refusal_code(*node, issued.token());
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

  auto revoked = b->call(http::verb::post, "/v1/admin/tokens/roster-vol-bh/revoke", net.token("admin"));
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(wait_until([&] { return refusal_code(*a, net.token("vol-bh")).find("bad_token") != std::string::npos; }));

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

TEST_F(Tokens, OnlyAdminsManageTokensAndBadRequestsAreRefused) {
  auto post = [&](const std::string& token, const std::string& body) {
    return a->call(http::verb::post, "/v1/admin/tokens", token, body).status;
  };
  EXPECT_EQ(post(net.token("disp"), R"({"responderId":"obs-bh"})"), 403);
  EXPECT_EQ(a->call(http::verb::get, "/v1/admin/tokens", net.token("obs-bh")).status, 403);
  EXPECT_EQ(a->call(http::verb::post, "/v1/admin/tokens/roster-op/revoke", net.token("op")).status, 403);
  auto keys = net.redis_key_count();
  EXPECT_EQ(post(net.token("admin"), R"({"responderId":"nobody"})"), 400);
  EXPECT_EQ(post(net.token("admin"), R"({"responderId":"obs-bh","expiresInSeconds":-5})"), 400);
  EXPECT_EQ(post(net.token("admin"), R"({"responderId":"obs-bh","tokenSha256":"ab"})"), 400);  // unknown field
  EXPECT_EQ(a->call(http::verb::post, "/v1/admin/tokens/tok-nope/revoke", net.token("admin")).status, 404);
  EXPECT_EQ(net.redis_key_count(), keys) << "a refused request stored something";
}

}  // namespace
}  // namespace puente::test
