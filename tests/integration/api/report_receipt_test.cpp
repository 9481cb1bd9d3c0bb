// The receipt of a report that opens an incident (app/incidents/intake_service.cpp): the report
// as it was stored, and the incident holding that same report, for whoever logged it. Intake
// builds the answer from what it wrote, without copying it again: the incident takes a copy of
// the report and the receipt takes the report itself (issue 22). Both must carry the whole of
// it, the same for the operator and the dispatcher, and the incident read back must hold it too.
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using google::protobuf::util::MessageDifferencer;

TEST(ReportReceipt, TheReceiptAndItsIncidentCarryTheWholeStoredReport) {
  TestNetwork net;
  auto a = net.start_node("a");
  int spot = 0;
  for (const std::string who : {"op", "disp"}) {
    SCOPED_TRACE(who);
    const auto where = boyle_heights_spot(spot++);
    auto response =
        a->call(http::verb::post, "/v1/reports", net.token(who),
                report_json(where.lat, where.lon, "RAID", R"("description":"three vans")"));
    ASSERT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    ASSERT_EQ(wire::from_json(response.body, receipt), "") << response.body;

    const auto& report = receipt.report();
    EXPECT_EQ(report.id().rfind("rep", 0), 0u) << response.body;
    EXPECT_EQ(report.kind(), v1::RAID);
    EXPECT_EQ(report.description(), "three vans");
    EXPECT_DOUBLE_EQ(report.location().lat(), where.lat);
    EXPECT_EQ(report.incident_id(), receipt.incident().id());
    EXPECT_EQ(report.reporter_id(), who);
    EXPECT_TRUE(report.has_received_at());
    ASSERT_EQ(receipt.incident().reports_size(), 1) << response.body;
    EXPECT_TRUE(MessageDifferencer::Equals(receipt.incident().reports(0), report))
        << receipt.incident().reports(0).ShortDebugString() << "\n"
        << report.ShortDebugString();

    // What the store kept is what the receipt said (an operator may not read an incident).
    if (who != "disp") continue;
    auto stored =
        a->call(http::verb::get, "/v1/incidents/" + receipt.incident().id(), net.token(who), "");
    ASSERT_EQ(stored.status, 200u) << stored.body;
    v1::Incident incident;
    ASSERT_EQ(wire::from_json(stored.body, incident), "") << stored.body;
    ASSERT_EQ(incident.reports_size(), 1) << stored.body;
    EXPECT_TRUE(MessageDifferencer::Equals(incident.reports(0), report))
        << incident.reports(0).ShortDebugString() << "\n"
        << report.ShortDebugString();
  }
}

}  // namespace
}  // namespace puente::test
