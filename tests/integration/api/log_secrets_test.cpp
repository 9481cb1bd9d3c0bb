// Logs never hold a token or an exact place. Every test's nodes are scanned for the network's
// tokens when they stop (PuentedNode); here, that the scan bites, and a whole day's work at
// debug level logs no token, no address a caller gave and no exact coordinates.
#include "test_network.hpp"

#include "file_text.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

TEST(LogSecrets, ATokenInANodesLogFailsTheTest) {
  TestNetwork net;
  auto a = net.start_node("a");
  std::ofstream(a->log_path(), std::ios::app) << "leaked " << net.token("op") << "\n";
  EXPECT_NONFATAL_FAILURE(a.reset(), "logged a bearer token");
}

TEST(LogSecrets, NoTokenAddressOrExactPlaceIsLogged) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  const std::string address = "2417 E Cesar E Chavez Ave apt 3";
  auto reported =
      a->call(http::verb::post, "/v1/reports", net.token("op"),
              R"({"location":{"lat":34.0412345,"lon":-118.2087654,"description":")" + address +
                  R"("},"kind":"RAID","description":"vans outside )" + address + R"("})");
  ASSERT_EQ(reported.status, 201) << reported.body;
  auto alert = next_alert(*observer);
  ASSERT_TRUE(alert);
  auto ack = R"({"alertId":")" + alert->id() + R"(","incidentId":")" + alert->incident_id() +
             R"(","state":"ON_SCENE"})";
  ASSERT_EQ(b->call(http::verb::post, "/v1/acks", net.token("obs-bh"), ack).status, 201);
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + alert->incident_id() + "/confirm",
                    net.token("disp"), R"({"text":"at )" + address + R"("})")
                .status,
            200);
  EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", "wrong-token-value-123").status, 401);
  auto paths = {a->log_path(), b->log_path()};
  a.reset();
  b.reset();

  for (const auto& path : paths) {
    const auto log = file_text(path);
    for (const std::string& secret :
         {address, std::string("34.0412345"), std::string("118.2087654"),
          std::string("wrong-token-value-123")})
      EXPECT_EQ(log.find(secret), std::string::npos) << secret << " is in " << path;
  }
}

}  // namespace
}  // namespace puente::test
