// A caller's phone number: hashed under the network's key before anything is stored, journaled
// or logged; the hash shown to dispatchers only; refused when the network keeps no key.
#include "test_network.hpp"

#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

const std::string digits = "3235550142";

std::string report_with_phone(Place where, const std::string& phone) {
  return report_json(where.lat, where.lon, "RAID", R"("callerPhone":")" + phone + '"');
}

class CallerPrivacy : public ::testing::Test {
 protected:
  TestNetwork net{"[privacy]\ncaller_key_file = \"caller.key\"\n"};
  std::unique_ptr<PuentedNode> a = start();

  std::unique_ptr<PuentedNode> start(bool wait_ready = true) {
    std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
    return net.start_node("a", wait_ready);
  }

  v1::Incident shown_to(const std::string& who, const std::string& id) {
    v1::Incident incident;
    EXPECT_EQ(wire::from_json(a->call(http::verb::get, "/v1/incidents/" + id, net.token(who)).body,
                              incident),
              "");
    return incident;
  }
};

TEST_F(CallerPrivacy, TheNumberBecomesAHashThatOnlyDispatchersSee) {
  auto first = a->call(http::verb::post, "/v1/reports", net.token("op"),
                       report_with_phone(boyle_heights, "+1 (323) 555-0142"));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.body.find("caller"), std::string::npos)
      << "the operator's receipt shows " << first.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(first.body, receipt), "");
  auto id = receipt.incident().id();
  // The same caller again, written another way (without the country code: issue 15 found it
  // hashed apart): the same hash, so a dispatcher sees a repeat.
  auto again = a->call(http::verb::post, "/v1/reports", net.token("op"),
                       report_with_phone(boyle_heights, "323-555-0142"));
  ASSERT_EQ(again.status, 201) << again.body;
  v1::ReportReceipt second;
  ASSERT_EQ(wire::from_json(again.body, second), "");
  ASSERT_EQ(second.incident().id(), id) << "the second call should corroborate the first";

  auto seen = shown_to("disp", id);
  ASSERT_EQ(seen.reports_size(), 2);
  EXPECT_EQ(seen.reports(0).caller_hash().size(), 64u);
  EXPECT_EQ(seen.reports(0).caller_hash(), seen.reports(1).caller_hash());
  EXPECT_TRUE(seen.reports(0).caller_phone().empty());
  auto observed = shown_to("obs-bh", id);
  for (const auto& report : observed.reports()) EXPECT_TRUE(report.caller_hash().empty());
  EXPECT_EQ(net.values_holding(digits), 0) << "the number is in Redis";
  // Each report is kept once, in its incident (the report log names it by id).
  EXPECT_EQ(net.values_holding(seen.reports(0).caller_hash()), 2)
      << "the hash is not where the reports are";

  auto log = a->log_path();
  a.reset();
  EXPECT_EQ(file_text(log).find(digits), std::string::npos) << "the number is in the log";
}

TEST_F(CallerPrivacy, AQueuedReportKeepsNoNumberInTheJournal) {
  net.redis().stop();
  auto queued = a->call(http::verb::post, "/v1/reports", net.token("op"),
                        report_with_phone(downtown, "323 555 0142"));
  ASSERT_EQ(queued.status, 202) << queued.body;
  auto journal = file_text(net.dir() / "state" / "a.journal");
  ASSERT_FALSE(journal.empty());
  EXPECT_EQ(journal.find(digits), std::string::npos) << "the number is in the journal";
  net.redis().restart();
  v1::IncidentList open;
  ASSERT_TRUE(wait_until([&] {
    open.Clear();
    return wire::from_json(a->call(http::verb::get, "/v1/incidents", net.token("disp")).body, open)
               .empty() &&
           open.incidents_size() == 1;
  }));
  EXPECT_EQ(shown_to("disp", open.incidents(0).id()).reports(0).caller_hash().size(), 64u);
}

TEST_F(CallerPrivacy, ABadNumberOrAForgedHashChangesNothing) {
  auto keys = net.redis_key_count();
  auto bad = a->call(http::verb::post, "/v1/reports", net.token("op"),
                     report_with_phone(boyle_heights, "call me"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"bad_phone\""), std::string::npos) << bad.body;
  EXPECT_EQ(net.redis_key_count(), keys);
  auto forged = a->call(http::verb::post, "/v1/reports", net.token("op"),
                        report_json(downtown.lat, downtown.lon, "RAID", R"("callerHash":"abc")"));
  ASSERT_EQ(forged.status, 201) << forged.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(forged.body, receipt), "");
  EXPECT_TRUE(shown_to("disp", receipt.incident().id()).reports(0).caller_hash().empty());
}

TEST(CallerPrivacyWithoutKey, ANumberIsRefused) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto keys = net.redis_key_count();
  auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                          report_with_phone(boyle_heights, "3235550142"));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("\"caller_phone_not_accepted\""), std::string::npos)
      << response.body;
  EXPECT_EQ(net.redis_key_count(), keys);
}

}  // namespace
}  // namespace puente::test
