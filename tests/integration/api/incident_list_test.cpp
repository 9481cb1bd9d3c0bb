// GET /v1/incidents: dispatchers list every incident; a field responder lists only those of
// the neighborhoods they cover (what they may open one by one), so a client can reload them
// after a gap in its alert history; an operator lists nothing.
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <set>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

std::set<std::string> listed(PuentedNode& node, const std::string& token) {
  auto response = node.call(http::verb::get, "/v1/incidents", token);
  EXPECT_EQ(response.status, 200) << response.body;
  v1::IncidentList list;
  EXPECT_EQ(wire::from_json(response.body, list), "");
  std::set<std::string> ids;
  for (const auto& incident : list.incidents()) {
    ids.insert(incident.id());
  }
  return ids;
}

TEST(IncidentList, FieldRespondersListOnlyTheirNeighborhoods) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto in_boyle_heights = open_incident(*a, net.token("op"), boyle_heights);
  auto downtown_one = open_incident(*a, net.token("op"), downtown);

  EXPECT_EQ(listed(*a, net.token("disp")), (std::set<std::string>{in_boyle_heights, downtown_one}));
  EXPECT_EQ(listed(*a, net.token("obs-bh")), std::set<std::string>{in_boyle_heights});
  EXPECT_EQ(listed(*a, net.token("vol-bh")), std::set<std::string>{in_boyle_heights});
  EXPECT_EQ(listed(*a, net.token("obs-dt")), std::set<std::string>{downtown_one});

  auto refused = a->call(http::verb::get, "/v1/incidents", net.token("op"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("\"forbidden\""), std::string::npos) << refused.body;
}

}  // namespace
}  // namespace puente::test
