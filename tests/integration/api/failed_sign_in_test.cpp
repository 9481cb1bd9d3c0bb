// Failed sign-ins (issue 15, items 5 and 8): a WebSocket hello and an HTTP request with a bad
// token take one failed-sign-ins bucket per client address; a revoked, an expired and an unknown
// token get one and the same answer both ways, while the audit log says which it was; and a
// flood of bad tokens is one audit entry per address and period with the count, not one each.
#include "test_network.hpp"

#include "connection_error.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// The code and words a hello with `token` is refused with, and whether the socket was closed
// after them.
struct HelloRefusal {
  std::string code, message;
  bool closed = false;
};

HelloRefusal refused_hello(PuentedNode& node, const std::string& token) {
  auto socket = node.raw_socket();
  v1::ClientMessage hello;
  hello.set_request_id("h");
  hello.mutable_hello()->set_token(token);
  socket->send(hello);
  HelloRefusal refusal;
  try {
    auto answer =
        read_until(*socket, [](const v1::ServerMessage& m) { return m.request_id() == "h"; });
    if (answer) {
      refusal.code = answer->error().code();
      refusal.message = answer->error().message();
    }
    while (socket->read_message(socket_wait)) {
    }
  } catch (const client::ConnectionError&) {
  }
  refusal.closed = !socket->is_open();
  return refusal;
}

std::vector<v1::AuditEntry> failed_sign_ins(const v1::AuditLog& log) {
  std::vector<v1::AuditEntry> entries;
  for (const auto& entry : log.entries())
    if (entry.action() == "sign_in.failed") entries.push_back(entry);
  return entries;
}

// Slow refills: nothing comes back during a test on a slow machine.
const std::string strict_sign_ins = R"(
[rate_limits]
requests_per_token_per_second = 0
reports_per_token_per_second = 0
requests_per_address_per_second = 0
failed_sign_ins_per_address_per_second = 0.01
failed_sign_ins_per_address_burst = 10
)";

// Issue 15: a hello skipped the limiter (938 wrong tokens in 10 s, where HTTP allowed 10).
TEST(FailedSignIns, BadHellosTakeTheBucketOfBadHttpTokensFromTheSameAddress) {
  TestNetwork net(strict_sign_ins);
  auto a = net.start_node("a");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", "guess-" + std::to_string(i)).status,
              401);

  // 50 guesses over sockets: the 6 left of the burst of 10 are answered bad_token, the rest
  // rate_limited; every such socket is closed.
  int bad_token = 0, rate_limited = 0, open = 0;
  for (int i = 0; i < 50; ++i) {
    auto refusal = refused_hello(*a, "socket-guess-" + std::to_string(i));
    bad_token += refusal.code == "bad_token";
    rate_limited += refusal.code == "rate_limited";
    open += !refusal.closed;
  }
  EXPECT_EQ(bad_token, 6);
  EXPECT_EQ(rate_limited, 44);
  EXPECT_EQ(open, 0) << "a refused hello left its socket open";

  // The same bucket over HTTP: the sockets' guesses emptied it.
  auto http_guess = a->call(http::verb::get, "/v1/neighborhoods", "guess-after-sockets");
  EXPECT_EQ(http_guess.status, 429) << http_guess.body;
  EXPECT_TRUE(http_guess.header("Retry-After"));

  // As over HTTP, a good token from the address is not locked out by the guessing.
  auto socket = a->socket(net.token("obs-bh"), {"boyle-heights"});
  EXPECT_TRUE(socket->is_open());
  EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", net.token("obs-bh")).status, 200);
}

// Issue 15: "revoked_token" and "expired_token" told a guesser that a token once existed.
TEST(FailedSignIns, RevokedExpiredAndUnknownTokensGetOneAnswerAndTheAuditLogSaysWhich) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto issue = [&](int expires_in_seconds) {
    auto response = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                            R"({"responderId":"vol-bh","expiresInSeconds":)" +
                                std::to_string(expires_in_seconds) + "}");
    EXPECT_EQ(response.status, 201) << response.body;
    v1::IssuedToken issued;
    EXPECT_EQ(wire::from_json(response.body, issued), "");
    return issued;
  };
  auto revoked = issue(0);
  auto expiring = issue(1);
  ASSERT_EQ(
      a->call(http::verb::post, "/v1/admin/tokens/" + revoked.id() + "/revoke", net.token("admin"))
          .status,
      200);
  // Known to the node, then out of time.
  ASSERT_TRUE(wait_until([&] {
    auto answer = a->call(http::verb::get, "/v1/neighborhoods", revoked.token());
    return answer.status == 401;
  }));
  ASSERT_TRUE(wait_until([&] {
    return a->call(http::verb::get, "/v1/neighborhoods", expiring.token()).status == 401;
  }));
  const std::string unknown = "never-issued-token-abcdefghijklmnopqrstuvwxyz0";

  std::map<std::string, std::string> tokens{
      {"revoked", revoked.token()}, {"expired", expiring.token()}, {"unknown", unknown}};
  std::map<std::string, std::string> http_answers, socket_answers;
  for (const auto& [why, token] : tokens) {
    auto answer = a->call(http::verb::get, "/v1/neighborhoods", token);
    http_answers[why] = std::to_string(answer.status) + " " + answer.body;
    auto refusal = refused_hello(*a, token);
    socket_answers[why] = refusal.code + ": " + refusal.message;
    EXPECT_TRUE(refusal.closed) << why;
  }
  EXPECT_EQ(http_answers["revoked"], http_answers["unknown"]);
  EXPECT_EQ(http_answers["expired"], http_answers["unknown"]);
  EXPECT_NE(http_answers["unknown"].find("401 "), std::string::npos) << http_answers["unknown"];
  EXPECT_NE(http_answers["unknown"].find("\"bad_token\""), std::string::npos)
      << http_answers["unknown"];
  EXPECT_EQ(socket_answers["revoked"], socket_answers["unknown"]);
  EXPECT_EQ(socket_answers["expired"], socket_answers["unknown"]);
  EXPECT_TRUE(socket_answers["unknown"].starts_with("bad_token: ")) << socket_answers["unknown"];

  // The operators still learn which it was, and which known tokens were tried; never a token.
  std::string details;
  ASSERT_TRUE(wait_until([&] {
    details.clear();
    for (const auto& entry : failed_sign_ins(a->audit_log(net.token("admin"))))
      details += entry.detail() + "\n";
    return details.find("socket unknown") != std::string::npos;
  })) << details;
  for (const char* reason :
       {"http revoked", "http expired", "http unknown", "socket revoked", "socket expired"})
    EXPECT_NE(details.find(reason), std::string::npos) << reason << " not in:\n" << details;
  EXPECT_NE(details.find(revoked.id()), std::string::npos) << details;
  EXPECT_NE(details.find(expiring.id()), std::string::npos) << details;
  auto log = a->audit_log(net.token("admin")).DebugString();
  for (const auto& [why, token] : tokens)
    EXPECT_EQ(log.find(token), std::string::npos) << "a " << why << " token was audited";
}

// Issue 15: every bad hello was an entry of the never-purged audit log (~240 MB a day a node).
TEST(FailedSignIns, AFloodOfBadTokensIsOneAuditEntryWithTheCountAndTheAddress) {
  // A period longer than the test: what it holds is recorded when the node stops.
  TestNetwork net("", "failed_sign_in_audit_seconds = 3600");
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", "guess-" + std::to_string(i)).status,
              401);
    EXPECT_EQ(refused_hello(*a, "socket-guess-" + std::to_string(i)).code, "bad_token");
  }
  // An entry made after the flood: the flood's own would be in the log before it.
  auto issued = b->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                        R"({"responderId":"vol-bh"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  v1::AuditLog log;
  ASSERT_TRUE(wait_until([&] {
    log = b->audit_log(net.token("admin"));
    for (const auto& entry : log.entries())
      if (entry.action() == "token.issue") return true;
    return false;
  }));
  EXPECT_EQ(failed_sign_ins(log).size(), 0u) << "recorded one by one: " << log.DebugString();

  // The node stops: the period's sum goes out, one entry for the one address.
  a.reset();
  std::vector<v1::AuditEntry> entries;
  ASSERT_TRUE(wait_until([&] {
    entries = failed_sign_ins(b->audit_log(net.token("admin")));
    return !entries.empty();
  })) << "the failed sign-ins were not recorded at shutdown";
  ASSERT_EQ(entries.size(), 1u) << b->audit_log(net.token("admin")).DebugString();
  EXPECT_EQ(entries[0].node_id(), "a");
  EXPECT_EQ(entries[0].subject(), "127.0.0.1");
  EXPECT_EQ(entries[0].detail(),
            "200 failed sign-ins in 3600 s: http unknown 100, socket unknown 100");
}

}  // namespace
}  // namespace puente::test
