// GET /metrics shows, live, when raids are reported and how many answer: it takes a bearer
// token, an admin's or the Prometheus scraper's (role "metrics"). Without one it is 401 and
// changes nothing; a token of another role is 403; the scraper's token opens nothing else, be it
// a roster token or one an admin issued for it.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// The code of the JSON error in `answer`; empty if it carries none.
std::string error_code(const client::HttpResponse& answer) {
  v1::ServerMessage error;
  if (!wire::from_json(answer.body, error).empty()) return {};
  return error.error().code();
}

std::vector<std::string> audit_actions(PuentedNode& node, const std::string& admin_token) {
  const auto log = node.audit_log(admin_token);  // kept: a range-for would not keep the temporary
  std::vector<std::string> actions;
  for (const auto& entry : log.entries()) actions.push_back(entry.action());
  return actions;
}

class MetricsAccess : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");
};

TEST_F(MetricsAccess, WithoutATokenItIs401AndChangesNothing) {
  open_incident(*a, net.token("op"), boyle_heights);  // a raid the counters would tell of
  // The node records the roster it started with, asynchronously: that entry first.
  std::vector<std::string> before;
  ASSERT_TRUE(wait_until([&] {
    before = audit_actions(*a, net.token("admin"));
    return std::find(before.begin(), before.end(), "roster.changed") != before.end();
  }));

  auto anonymous = a->call(http::verb::get, "/metrics", "");
  EXPECT_EQ(anonymous.status, 401u) << anonymous.body;
  EXPECT_EQ(error_code(anonymous), "missing_token") << anonymous.body;
  EXPECT_EQ(anonymous.header("WWW-Authenticate").value_or(""), "Bearer");
  EXPECT_EQ(anonymous.body.find("puente_"), std::string::npos) << anonymous.body;

  auto guessed = a->call(http::verb::get, "/metrics", "guessed-token-of-no-one");
  EXPECT_EQ(guessed.status, 401u) << guessed.body;
  EXPECT_EQ(error_code(guessed), "bad_token") << guessed.body;
  EXPECT_EQ(guessed.body.find("puente_"), std::string::npos) << guessed.body;

  // The guess is a failed sign-in, audited as any; the anonymous request left no trace. Entries
  // are written in order, so once the guess is in, anything the first request wrote is too.
  std::vector<std::string> after;
  ASSERT_TRUE(wait_until([&] {
    after = audit_actions(*a, net.token("admin"));
    return after.size() > before.size();
  }));
  EXPECT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after.back(), "sign_in.failed");
}

TEST_F(MetricsAccess, OnlyAnAdminOrTheScraperReadsTheCounters) {
  open_incident(*a, net.token("op"), boyle_heights);
  for (const char* role : {"obs-bh", "vol-bh", "op", "disp"}) {
    auto refused = a->call(http::verb::get, "/metrics", net.token(role));
    EXPECT_EQ(refused.status, 403u) << role << ": " << refused.body;
    EXPECT_EQ(error_code(refused), "forbidden") << role << ": " << refused.body;
    EXPECT_EQ(refused.body.find("puente_"), std::string::npos) << role << ": " << refused.body;
  }
  for (const char* role : {"admin", "metrics"}) {
    auto scraped = a->call(http::verb::get, "/metrics", net.token(role));
    EXPECT_EQ(scraped.status, 200u) << role << ": " << scraped.body;
    EXPECT_TRUE(scraped.content_type.starts_with("text/plain")) << scraped.content_type;
    EXPECT_NE(scraped.body.find("\npuente_http_requests_total "), std::string::npos)
        << scraped.body;
  }
}

TEST_F(MetricsAccess, TheScrapersTokenOpensNothingElse) {
  const auto& scraper = net.token("metrics");
  auto map = a->call(http::verb::get, "/v1/neighborhoods", scraper);
  EXPECT_EQ(map.status, 403u) << map.body;
  EXPECT_EQ(error_code(map), "forbidden") << map.body;
  auto report = a->call(http::verb::post, "/v1/reports", scraper,
                        report_json(boyle_heights.lat, boyle_heights.lon));
  EXPECT_EQ(report.status, 403u) << report.body;
  auto available =
      a->call(http::verb::post, "/v1/me/availability", scraper, R"({"available":true})");
  EXPECT_EQ(available.status, 403u) << available.body;

  // Nor a socket: the hello is refused.
  auto socket = a->raw_socket();
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(scraper);
  socket->send(hello);
  auto refused = read_until(
      *socket, [](const v1::ServerMessage& m) { return m.has_error() || m.has_welcome(); });
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->error().code(), "forbidden") << refused->DebugString();

  // A token an admin issues for the scraper (so it can expire and be revoked) is the same.
  auto issued = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                        R"({"responderId":"metrics"})");
  ASSERT_EQ(issued.status, 201u) << issued.body;
  v1::IssuedToken token;
  ASSERT_EQ(wire::from_json(issued.body, token), "");
  EXPECT_EQ(a->call(http::verb::get, "/metrics", token.token()).status, 200u);
  EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", token.token()).status, 403u);
}

}  // namespace
}  // namespace puente::test
