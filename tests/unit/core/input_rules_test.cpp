#include "core/input_rules.hpp"

#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace puente::core {
namespace {

v1::Report valid_report() {
  v1::Report r;
  r.set_kind(v1::RAID);
  r.mutable_location()->set_lat(34.03);
  r.mutable_location()->set_lon(-118.21);
  return r;
}

std::string code_of(const v1::Report& r) {
  auto e = check_report(r);
  return e ? e->code : "";
}

TEST(InputRules, AValidReportPasses) { EXPECT_EQ(code_of(valid_report()), ""); }

TEST(InputRules, ANeighborhoodMayStandInForALocation) {
  auto r = valid_report();
  r.clear_location();
  EXPECT_EQ(code_of(r), "missing_location");
  r.set_neighborhood("boyle-heights");
  EXPECT_EQ(code_of(r), "");
}

TEST(InputRules, EachBadFieldIsNamed) {
  auto r = valid_report();
  r.set_kind(v1::REPORT_KIND_UNSPECIFIED);
  EXPECT_EQ(code_of(r), "missing_kind");
  r.set_kind(static_cast<v1::ReportKind>(99));  // what JSON {"kind": 99} decodes to
  EXPECT_EQ(code_of(r), "bad_kind");

  r = valid_report();
  r.mutable_location()->set_lat(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(code_of(r), "bad_location");

  r = valid_report();
  r.mutable_location()->set_lon(181);
  EXPECT_EQ(code_of(r), "bad_location");

  r = valid_report();
  r.set_description(std::string(max_description_bytes + 1, 'x'));
  EXPECT_EQ(code_of(r), "too_long");

  r = valid_report();
  r.set_idempotency_key("tab\there");
  EXPECT_EQ(code_of(r), "bad_idempotency_key");
}

TEST(InputRules, AcksNeedAnAlertAnIncidentAndAState) {
  v1::Ack ack;
  EXPECT_EQ(check_ack(ack)->code, "missing_alert");
  ack.set_alert_id("al-00000000000000a1");
  EXPECT_EQ(check_ack(ack)->code, "missing_incident");
  ack.set_incident_id("inc-00000000000000b2");
  EXPECT_EQ(check_ack(ack)->code, "missing_state");
  ack.set_state(static_cast<v1::AckState>(99));
  EXPECT_EQ(check_ack(ack)->code, "bad_state");
  ack.set_state(v1::EN_ROUTE);
  EXPECT_FALSE(check_ack(ack));
  ack.set_note(std::string(max_note_bytes + 1, 'x'));
  EXPECT_EQ(check_ack(ack)->code, "too_long");
}

// An id the server never made (or one naming another Redis key) is refused before any I/O, so
// it cannot wait in the journal while Redis is away (issue 15, item 10).
TEST(InputRules, AckIdsMustHaveTheServersFormat) {
  v1::Ack ack;
  ack.set_alert_id("al-00000000000000a1");
  ack.set_incident_id("inc-00000000000000b2");
  ack.set_state(v1::ON_SCENE);
  ASSERT_FALSE(check_ack(ack));
  for (const char* bad : {"inc-fake", "inc-00000000000000B2", "inc-00000000000000b2:acks",
                          "al-00000000000000a1", "inc-00000000000000b"}) {
    auto copy = ack;
    copy.set_incident_id(bad);
    ASSERT_TRUE(check_ack(copy)) << bad;
    EXPECT_EQ(check_ack(copy)->code, "bad_incident_id") << bad;
  }
  ack.set_alert_id("al-1");
  EXPECT_EQ(check_ack(ack)->code, "bad_alert_id");
}

TEST(Ids, ValidIdsAreWhatNewIdMakes) {
  EXPECT_TRUE(valid_id("inc", new_id("inc")));
  EXPECT_TRUE(valid_id("al", new_id("al")));
  EXPECT_FALSE(valid_id("al", new_id("inc")));
  EXPECT_FALSE(valid_id("inc", ""));
  EXPECT_FALSE(valid_id("inc", "inc-0123456789abcdeg"));
}

}  // namespace
}  // namespace puente::core
