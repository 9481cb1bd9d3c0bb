// The audit log: confirm, false alarm, resolve, token changes, failed sign-ins and roster
// changes are recorded by whichever node saw them, in one hash chain that holds; only admins
// read it; nothing secret is in it.
#include "test_network.hpp"

#include "core/audit_chain.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <set>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

TEST(AuditLog, LifecycleTokensAndFailedSignInsFormOneChainAcrossNodes) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");

  auto raid = open_incident(*a, net.token("op"), boyle_heights);
  auto rumor = open_incident(*b, net.token("op"), downtown);
  ASSERT_EQ(
      a->call(http::verb::post, "/v1/incidents/" + raid + "/confirm", net.token("disp")).status,
      200);
  ASSERT_EQ(b->call(http::verb::post, "/v1/incidents/" + rumor + "/false-alarm", net.token("disp"))
                .status,
            200);
  ASSERT_EQ(
      b->call(http::verb::post, "/v1/incidents/" + raid + "/resolve", net.token("disp")).status,
      200);
  auto issued = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                        R"({"responderId":"vol-bh"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  v1::IssuedToken token;
  ASSERT_EQ(wire::from_json(issued.body, token), "");
  ASSERT_EQ(
      b->call(http::verb::post, "/v1/admin/tokens/" + token.id() + "/revoke", net.token("admin"))
          .status,
      200);
  const std::string guessed = "guessed-token-that-must-never-be-logged";
  EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", guessed).status, 401);
  auto socket = b->raw_socket();
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(token.token());
  socket->send(hello);
  EXPECT_TRUE(read_until(*socket, [](const v1::ServerMessage& m) { return m.has_error(); }));

  // Entries go out asynchronously: wait until all are in.
  const std::multiset<std::string> expected{
      "roster.changed", "incident.confirm", "incident.false-alarm", "incident.resolve",
      "token.issue",    "token.revoke",     "sign_in.failed",       "sign_in.failed"};
  v1::AuditLog log;
  ASSERT_TRUE(wait_until([&] {
    log = a->audit_log(net.token("admin"));
    std::multiset<std::string> actions;
    for (const auto& entry : log.entries()) actions.insert(entry.action());
    return std::includes(actions.begin(), actions.end(), expected.begin(), expected.end());
  })) << log.DebugString();

  std::vector<v1::AuditEntry> entries(log.entries().begin(), log.entries().end());
  auto broken = core::first_break(entries);
  EXPECT_FALSE(broken) << "entry " << broken->index << ": " << broken->reason;
  std::set<std::string> nodes;
  for (const auto& entry : entries) {
    nodes.insert(entry.node_id());
    if (entry.action() == "incident.confirm") {
      EXPECT_EQ(entry.actor(), "disp");
      EXPECT_EQ(entry.subject(), raid);
    }
    if (entry.action() == "sign_in.failed") {
      // Summed per client address: the address is the subject, the count and why the detail.
      EXPECT_EQ(entry.subject(), "127.0.0.1");
      EXPECT_TRUE(entry.detail().starts_with("1 failed sign-in in 1 s: ")) << entry.detail();
      if (entry.node_id() == "b") {
        EXPECT_TRUE(entry.detail().ends_with("socket revoked 1; tokens " + token.id()))
            << "a revoked token is named by its id: " << entry.detail();
      }
    }
  }
  EXPECT_EQ(nodes, (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(log.DebugString().find(guessed), std::string::npos)
      << "a presented token reached the audit log";
  EXPECT_EQ(log.DebugString().find(token.token()), std::string::npos)
      << "an issued token reached the audit log";

  EXPECT_EQ(a->call(http::verb::get, "/v1/admin/audit", net.token("disp")).status, 403);
  EXPECT_EQ(a->call(http::verb::get, "/v1/admin/audit?after=x", net.token("admin")).status, 400);
  EXPECT_EQ(a->call(http::verb::get, "/v1/admin/audit?limit=0", net.token("admin")).status, 400);
  auto later = a->call(http::verb::get, "/v1/admin/audit?after=2&limit=1", net.token("admin"));
  v1::AuditLog page;
  ASSERT_EQ(wire::from_json(later.body, page), "") << later.body;
  ASSERT_EQ(page.entries_size(), 1);
  EXPECT_EQ(page.entries(0).sequence(), 3u);
}

TEST(AuditLog, TheSameRosterAgainIsNoChange) {
  TestNetwork net;
  auto a = net.start_node("a");
  ASSERT_TRUE(wait_until([&] { return a->audit_log(net.token("admin")).entries_size() == 1; }));
  a.reset();
  auto again = net.start_node("a");
  auto b = net.start_node("b");
  // A later entry proves the restarted nodes' roster notes have been made by now.
  ASSERT_EQ(b->call(http::verb::get, "/v1/neighborhoods", "not-a-token").status, 401);
  v1::AuditLog log;
  ASSERT_TRUE(wait_until([&] {
    log = again->audit_log(net.token("admin"));
    return log.entries_size() >= 2;
  }));
  int roster_changes = 0;
  for (const auto& entry : log.entries()) roster_changes += entry.action() == "roster.changed";
  EXPECT_EQ(roster_changes, 1) << log.DebugString();
}

}  // namespace
}  // namespace puente::test
