// Staying signed in on a phone (issue 17): a responder trades their sign-in for a device token
// of that phone's own, named for it and expiring after [push] device_token_days; it works as a
// bearer token on every node; its owner lists and revokes it, nobody else can; an admin sees it
// in GET /v1/admin/tokens and revokes it there; it is audited like any issued token; once
// revoked it is refused.
#include "test_network.hpp"

#include "core/clock.hpp"
#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

class DeviceTokens : public ::testing::Test {
 protected:
  TestNetwork net{"[push]\ndevice_token_days = 7\n"};
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  client::HttpResponse issue(const std::string& who, const std::string& body) {
    return a->call(http::verb::post, "/v1/me/device-tokens", net.token(who), body);
  }
  v1::IssuedToken issued(const std::string& who, const std::string& device) {
    auto response = issue(who, R"({"note":")" + device + R"("})");
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::IssuedToken token;
    EXPECT_EQ(wire::from_json(response.body, token), "") << response.body;
    return token;
  }
  v1::TokenList listed(PuentedNode& node, const std::string& token,
                       const std::string& target = "/v1/me/device-tokens") {
    auto response = node.call(http::verb::get, target, token);
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::TokenList list;
    EXPECT_EQ(wire::from_json(response.body, list), "") << response.body;
    return list;
  }
  // 200 if `token` signs in on `node`, else the status it gets.
  static unsigned signs_in(PuentedNode& node, const std::string& token) {
    return node.call(http::verb::get, "/v1/neighborhoods", token).status;
  }
  static std::string code_of(const client::HttpResponse& response) {
    v1::ServerMessage error;  // {"error": {"code", "message"}}
    if (!wire::from_json(response.body, error).empty()) return "(not an error body)";
    return error.error().code();
  }
};

TEST_F(DeviceTokens, APhonesTokenSignsInEverywhereUntilItsOwnerRevokesIt) {
  const auto before = core::Clock::now();
  auto token = issued("obs-bh", "Maria's phone");
  EXPECT_EQ(token.token().size(), 43u);
  EXPECT_EQ(token.responder_id(), "obs-bh");
  EXPECT_TRUE(token.device());
  EXPECT_EQ(token.note(), "Maria's phone");
  EXPECT_TRUE(token.token_sha256().empty());
  const auto life = core::to_time_point(token.expires_at()) - before;
  EXPECT_GE(life, std::chrono::hours(7 * 24) - 1min);
  EXPECT_LE(life, std::chrono::hours(7 * 24) + 1min);

  EXPECT_EQ(signs_in(*a, token.token()), 200u);
  ASSERT_TRUE(wait_until([&] { return signs_in(*b, token.token()) == 200u; }));

  // Its owner lists it (never the text); another responder sees none of it.
  auto mine = listed(*a, token.token());
  ASSERT_EQ(mine.tokens_size(), 1);
  EXPECT_EQ(mine.tokens(0).id(), token.id());
  EXPECT_TRUE(mine.tokens(0).token().empty());
  EXPECT_EQ(listed(*a, net.token("obs-dt")).tokens_size(), 0);
  // Nor revokes it.
  auto response =
      a->call(http::verb::delete_, "/v1/me/device-tokens/" + token.id(), net.token("obs-dt"));
  EXPECT_EQ(response.status, 404u) << response.body;
  EXPECT_EQ(signs_in(*a, token.token()), 200u);

  // The phone signs itself out.
  response = b->call(http::verb::delete_, "/v1/me/device-tokens/" + token.id(), token.token());
  EXPECT_EQ(response.status, 204u) << response.body;
  ASSERT_TRUE(wait_until([&] { return signs_in(*a, token.token()) == 401u; }));
  EXPECT_EQ(signs_in(*b, token.token()), 401u);
  EXPECT_EQ(listed(*a, net.token("obs-bh")).tokens_size(), 0) << "revoked: no longer listed";

  // Audited: issued and revoked by the responder themselves.
  ASSERT_TRUE(wait_until([&] {
    int found = 0;
    const auto log = a->audit_log(net.token("admin"));
    for (const auto& entry : log.entries())
      if (entry.subject() == token.id() && entry.actor() == "obs-bh" &&
          (entry.action() == "token.issue" || entry.action() == "token.revoke"))
        ++found;
    return found == 2;
  }));

  // Like every token, never in a log line.
  const auto logs = {a->log_path(), b->log_path()};
  a.reset();
  b.reset();
  for (const auto& log : logs)
    EXPECT_EQ(file_text(log).find(token.token()), std::string::npos) << "see " << log;
}

TEST_F(DeviceTokens, AnAdminSeesAndRevokesThemWithTheOtherTokens) {
  auto token = issued("obs-bh", "Maria's tablet");
  auto all = listed(*a, net.token("admin"), "/v1/admin/tokens?responder=obs-bh");
  bool seen = false;
  for (const auto& t : all.tokens())
    if (t.id() == token.id()) seen = t.device() && t.note() == "Maria's tablet";
  EXPECT_TRUE(seen) << wire::to_json(all);

  auto response =
      a->call(http::verb::post, "/v1/admin/tokens/" + token.id() + "/revoke", net.token("admin"));
  EXPECT_EQ(response.status, 200u) << response.body;
  ASSERT_TRUE(wait_until([&] { return signs_in(*b, token.token()) == 401u; }));
  EXPECT_EQ(signs_in(*a, token.token()), 401u);

  // Revoked, it still says which phone it was.
  seen = false;
  all = listed(*a, net.token("admin"), "/v1/admin/tokens?responder=obs-bh");
  for (const auto& t : all.tokens())
    if (t.id() == token.id())
      seen = t.has_revoked_at() && t.device() && t.note() == "Maria's tablet" && t.has_created_at();
  EXPECT_TRUE(seen) << wire::to_json(all);
}

TEST_F(DeviceTokens, BadRequestsAreRefusedByNameAndIssueNothing) {
  const auto keys_before = net.redis_key_count();
  const auto tokens_before = net.redis_integer("HLEN puente:tokens");
  const struct {
    std::string body;
    unsigned status;
    std::string code;
  } cases[] = {
      {R"({"note":""})", 400, "bad_device"},
      {R"({})", 400, "bad_device"},
      {R"({"note":")" + std::string(201, 'x') + R"("})", 400, "bad_device"},
      {R"({"note":"phone","expiresInSeconds":-1})", 400, "bad_expiry"},
      {R"({"note":"phone","expiresInSeconds":604801})", 400, "bad_expiry"},
      {R"({"note":"phone","responderId":"obs-dt"})", 403, "forbidden"},
      {R"({"note":)", 400, "bad_json"},
  };
  for (const auto& c : cases) {
    auto response = issue("obs-bh", c.body);
    EXPECT_EQ(response.status, c.status) << c.body << " -> " << response.body;
    EXPECT_EQ(code_of(response), c.code) << c.body << " -> " << response.body;
  }
  EXPECT_EQ(net.redis_integer("HLEN puente:tokens"), tokens_before);
  EXPECT_EQ(net.redis_key_count(), keys_before);

  // A shorter life may be asked for; the own responder id may be named.
  auto response =
      issue("obs-bh", R"({"note":"phone","expiresInSeconds":3600,"responderId":"obs-bh"})");
  ASSERT_EQ(response.status, 201u) << response.body;
  v1::IssuedToken token;
  ASSERT_EQ(wire::from_json(response.body, token), "");
  EXPECT_LE(core::to_time_point(token.expires_at()) - core::Clock::now(), 3601s);
}

}  // namespace
}  // namespace puente::test
