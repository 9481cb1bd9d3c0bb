// Limits and sign-ins with two networks on the same node (issue 23, docs/networks.md): two
// networks' responders of the same id (each network has an `admin`) have rate limits of their
// own; a token no network knows is refused and audited in no network, while a stale token of a
// network (revoked) is audited in its own network alone.
#include "two_networks.hpp"

#include "connection_error.hpp"
#include "core/bearer_token.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// The code a hello with `token` is refused with ("" if none came).
std::string refused_hello_code(PuentedNode& node, const std::string& token) {
  auto socket = node.raw_socket();
  v1::ClientMessage hello;
  hello.set_request_id("h");
  hello.mutable_hello()->set_token(token);
  socket->send(hello);
  try {
    auto answer =
        read_until(*socket, [](const v1::ServerMessage& m) { return m.request_id() == "h"; });
    return answer ? answer->error().code() : "";
  } catch (const client::ConnectionError&) {
    return "";
  }
}

std::vector<v1::AuditEntry> failed_sign_in_entries(const v1::AuditLog& log) {
  std::vector<v1::AuditEntry> entries;
  for (const auto& entry : log.entries())
    if (entry.action() == "sign_in.failed") entries.push_back(entry);
  return entries;
}

TEST(NetworkAccess, TwoNetworksResponderOfTheSameIdHaveRateLimitsOfTheirOwn) {
  TwoNetworks networks("", {},
                       "[rate_limits]\nrequests_per_token_per_second = 0.01\n"
                       "requests_per_token_burst = 2\nreports_per_token_per_second = 0\n"
                       "requests_per_address_per_second = 0\n"
                       "failed_sign_ins_per_address_per_second = 0\n"
                       "messages_per_socket_per_second = 0\n");
  // Each network has an `admin` of its own: one roster token id, "roster-admin", in both.
  std::map<std::string, std::string> admin;
  for (const auto* id : {"la-city", "la-county"}) {
    admin[id] = core::new_bearer_token();
    std::ofstream(networks.dir() / id / "roster.toml", std::ios::app)
        << "[[responder]]\nid = \"admin\"\nname = \"Admin\"\nroles = [\"admin\"]\n"
        << "token_sha256 = \"" << core::sha256_hex(admin[id]) << "\"\n\n";
  }
  auto a = networks.start_node("a");

  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(a->call(http::verb::get, "/v1/network", admin["la-city"]).status, 200u) << i;
  EXPECT_EQ(a->call(http::verb::get, "/v1/network", admin["la-city"]).status, 429u)
      << "the city's admin past its burst";
  // The county's admin is someone else, with a bucket of their own.
  auto county = a->call(http::verb::get, "/v1/network", admin["la-county"]);
  EXPECT_EQ(county.status, 200u) << county.body;
  EXPECT_NE(county.body.find("\"la-county\""), std::string::npos) << county.body;
}

TEST(NetworkAccess, ATokenNoNetworkKnowsIsAuditedInNoneAndAStaleOneInItsOwn) {
  TwoNetworks networks;
  auto a = networks.start_node("a");
  // A county token, issued and revoked: known to the county, refused.
  auto issued = a->call(http::verb::post, "/v1/admin/tokens", networks.token("county-admin"),
                        R"({"responderId":"county-obs","expiresInSeconds":0})");
  ASSERT_EQ(issued.status, 201u) << issued.body;
  v1::IssuedToken revoked;
  ASSERT_EQ(wire::from_json(issued.body, revoked), "");
  ASSERT_EQ(a->call(http::verb::post, "/v1/admin/tokens/" + revoked.id() + "/revoke",
                    networks.token("county-admin"))
                .status,
            200u);
  ASSERT_TRUE(wait_until(
      [&] { return a->call(http::verb::get, "/v1/network", revoked.token()).status == 401; }));

  const std::string unknown = "never-issued-token-abcdefghijklmnopqrstuvwxyz0";
  auto refused = a->call(http::verb::get, "/v1/incidents", unknown);
  EXPECT_EQ(refused.status, 401u) << refused.body;
  EXPECT_NE(refused.body.find("\"bad_token\""), std::string::npos) << refused.body;
  EXPECT_EQ(refused_hello_code(*a, unknown), "bad_token");
  EXPECT_EQ(refused_hello_code(*a, revoked.token()), "bad_token");

  // The window of failed sign-ins is a second here: the county's closes with the revoked
  // token's two refusals (HTTP and socket), and nothing else.
  std::vector<v1::AuditEntry> county;
  ASSERT_TRUE(wait_until([&] {
    county = failed_sign_in_entries(a->audit_log(networks.token("county-admin")));
    return !county.empty();
  }));
  std::this_thread::sleep_for(1500ms);  // any other window would have closed by now
  county = failed_sign_in_entries(a->audit_log(networks.token("county-admin")));
  std::string details;
  for (const auto& entry : county) details += entry.detail() + "\n";
  EXPECT_NE(details.find("revoked"), std::string::npos) << details;
  EXPECT_NE(details.find(revoked.id()), std::string::npos) << details;
  EXPECT_EQ(details.find("unknown"), std::string::npos) << "a token of no network: " << details;
  const auto city = failed_sign_in_entries(a->audit_log(networks.token("city-admin")));
  EXPECT_TRUE(city.empty()) << "the city audited another's sign-in: " << city[0].detail();
}

}  // namespace
}  // namespace puente::test
