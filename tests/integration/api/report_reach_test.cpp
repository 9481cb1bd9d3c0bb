// Issue 20, the truth about who was reached, told to the operator who logged the call: a
// report's receipt says how many people the incident's call went to and how many of them hold a
// live socket now (`reach`), the same for the person whose role sees no recipient ids; and
// `reporters` counts distinct callers (core::reporter_identity), not the desks that logged them.
#include "test_network.hpp"

#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// Westwood, by UCLA: a neighborhood of the city nobody in the test roster covers.
constexpr Place westwood{34.0689, -118.4452};

class ReportReach : public ::testing::Test {
 protected:
  TestNetwork net{"[privacy]\ncaller_key_file = \"caller.key\"\n"};
  std::unique_ptr<PuentedNode> a = start("a");
  std::unique_ptr<PuentedNode> b = start("b");

  std::unique_ptr<PuentedNode> start(const std::string& name) {
    std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
    return net.start_node(name);
  }

  v1::ReportReceipt report(const std::string& who, Place where, const std::string& extra = {}) {
    auto response = a->call(http::verb::post, "/v1/reports", net.token(who),
                            report_json(where.lat, where.lon, "RAID", extra));
    EXPECT_TRUE(response.status == 201u || response.status == 200u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "") << response.body;
    return receipt;
  }

  // The dispatcher's view of who is connected, from node a.
  bool connected(const std::string& responder_id) {
    auto response = a->call(http::verb::get, "/v1/roster/on-call", net.token("disp"));
    v1::OnCall on_call;
    EXPECT_EQ(wire::from_json(response.body, on_call), "") << response.body;
    return std::find(on_call.connected().begin(), on_call.connected().end(), responder_id) !=
           on_call.connected().end();
  }
};

TEST_F(ReportReach, TheReceiptSaysHowManyWereAlertedAndHowManyAreConnected) {
  // Boyle Heights' VERIFY goes to its one observer on shift (obs-bh; obs-off is off shift), who
  // has no page open: alerted 1, connected 0, told to the operator who sees no recipient ids.
  auto first = report("op", boyle_heights_spot(0));
  ASSERT_TRUE(first.has_reach()) << "no reach in the operator's receipt";
  EXPECT_EQ(first.reach().alerted(), 1);
  EXPECT_EQ(first.reach().connected(), 0);
  for (const auto& alert : first.incident().alerts()) EXPECT_EQ(alert.recipients_size(), 0);

  // Their phone connects on the other node: the next call's receipt counts them connected.
  auto phone = b->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return connected("obs-bh"); }));
  auto second = report("op", boyle_heights_spot(1));
  ASSERT_TRUE(second.has_reach());
  EXPECT_EQ(second.reach().alerted(), 1);
  EXPECT_EQ(second.reach().connected(), 1);

  // A call that joins the first incident tells who that incident's call went to.
  auto joined = report("op", {boyle_heights_spot(0).lat + 0.0002, boyle_heights_spot(0).lon});
  ASSERT_EQ(joined.incident().id(), first.incident().id());
  ASSERT_TRUE(joined.has_reach());
  EXPECT_EQ(joined.reach().alerted(), 1);
  EXPECT_EQ(joined.reach().connected(), 1);

  // The phone closes: the next call's receipt no longer counts them.
  phone.reset();
  ASSERT_TRUE(wait_until([&] { return !connected("obs-bh"); }));
  auto third = report("op", boyle_heights_spot(2));
  ASSERT_TRUE(third.has_reach());
  EXPECT_EQ(third.reach().alerted(), 1);
  EXPECT_EQ(third.reach().connected(), 0);

  // Their phone on the node that takes the call: counted from the node's own sockets.
  auto here = a->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_TRUE(wait_until([&] { return connected("obs-bh"); }));
  auto fourth = report("op", boyle_heights_spot(3));
  ASSERT_TRUE(fourth.has_reach());
  EXPECT_EQ(fourth.reach().connected(), 1);
}

TEST_F(ReportReach, ANeighborhoodWithNobodyOnCallSaysZeroAlerted) {
  auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                          report_json(westwood.lat, westwood.lon));
  ASSERT_EQ(response.status, 201u) << response.body;
  // Zero is said, not left out: the page's warning depends on it.
  EXPECT_NE(response.body.find("\"reach\""), std::string::npos) << response.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(response.body, receipt), "");
  ASSERT_TRUE(receipt.has_reach());
  EXPECT_EQ(receipt.reach().alerted(), 0);
  EXPECT_EQ(receipt.reach().connected(), 0);
}

TEST_F(ReportReach, ReportersCountDistinctCallersNotTheDesksThatLoggedThem) {
  const auto here = boyle_heights;
  auto near = [&](int i) { return Place{here.lat + 0.0001 * i, here.lon}; };
  // Two calls without a number at one desk: two callers.
  auto first = report("op", near(0));
  auto second = report("op", near(1));
  ASSERT_EQ(second.incident().id(), first.incident().id());
  EXPECT_EQ(second.incident().reporters(), 2);
  // One caller phoning twice (their number written two ways), at two desks: one more caller.
  auto third = report("op", near(2), R"("callerPhone":"+1 (323) 555-0142")");
  auto fourth = report("disp", near(3), R"("callerPhone":"323-555-0142")");
  ASSERT_EQ(fourth.incident().id(), first.incident().id());
  EXPECT_EQ(third.incident().reporters(), 3);
  EXPECT_EQ(fourth.incident().reporters(), 3);
  // An observer reporting what they see, twice: one more.
  report("obs-bh", near(4));
  auto sixth = report("obs-bh", near(5));
  ASSERT_EQ(sixth.incident().id(), first.incident().id());
  EXPECT_EQ(sixth.incident().reporters(), 4);
  EXPECT_EQ(sixth.incident().reports_size(), 6);
  // The set of reporters holds no caller hash (only a digest of it): nothing in it joins the
  // incident to a report's hash.
  auto seen = a->call(http::verb::get, "/v1/incidents/" + first.incident().id(), net.token("disp"));
  v1::Incident incident;
  ASSERT_EQ(wire::from_json(seen.body, incident), "");
  ASSERT_EQ(incident.reports(2).caller_hash().size(), 64u);
  EXPECT_EQ(net.values_holding(incident.reports(2).caller_hash()), 2)
      << "the caller hash is somewhere besides its two reports (each kept once)";
}

}  // namespace
}  // namespace puente::test
