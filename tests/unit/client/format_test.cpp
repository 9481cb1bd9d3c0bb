// How `puente` shows the roster, availability, and an incident's corroboration, escalation and
// deliveries (clients/puente/format.cpp). Times print in local time, so the suite runs in UTC.

#include "format.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>

namespace puente::cli {
namespace {

constexpr std::int64_t may_1_2024_14_02_11 = 1714572131;  // UTC

google::protobuf::Timestamp at(std::int64_t unix_seconds) {
  google::protobuf::Timestamp time;
  time.set_seconds(unix_seconds);
  return time;
}

v1::Responder responder(const std::string& id, const std::string& name) {
  v1::Responder who;
  who.set_id(id);
  who.set_name(name);
  return who;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class Format : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (const char* tz = std::getenv("TZ")) saved_tz_ = tz;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  static void TearDownTestSuite() {
    if (saved_tz_.empty())
      unsetenv("TZ");
    else
      setenv("TZ", saved_tz_.c_str(), 1);
    tzset();
  }

  static std::string incident_text(const v1::Incident& incident) {
    std::ostringstream out;
    print_incident(out, incident);
    return out.str();
  }

 private:
  static inline std::string saved_tz_;
};

TEST_F(Format, ClockIsTimeOfDayOrDashWhenUnset) {
  EXPECT_EQ(format_clock(at(may_1_2024_14_02_11)), "14:02:11");
  EXPECT_EQ(format_clock(google::protobuf::Timestamp{}), "-");
}

TEST_F(Format, AvailabilityShowsTheTimeAloneOnTheSameDay) {
  v1::Availability availability;
  availability.set_available(true);
  availability.set_responder_id("obs-maria");
  *availability.mutable_until() = at(may_1_2024_14_02_11 + 9 * 3600 + 38 * 60);  // 23:40:11
  EXPECT_EQ(availability_line(availability, may_1_2024_14_02_11),
            "available until 23:40 (obs-maria)");

  *availability.mutable_until() = at(may_1_2024_14_02_11 + 12 * 3600);  // 02:02 next day
  EXPECT_EQ(availability_line(availability, may_1_2024_14_02_11),
            "available until 2024-05-02 02:02 (obs-maria)");
}

TEST_F(Format, UnavailabilityWithoutAnEndSaysSo) {
  v1::Availability availability;
  availability.set_responder_id("obs-maria");
  EXPECT_EQ(availability_line(availability, may_1_2024_14_02_11), "not available (obs-maria)");
}

TEST_F(Format, ResponderLineHasIdNameRolesAndLanguages) {
  auto maria = responder("obs-maria", "Maria Lopez");
  maria.add_roles("legal_observer");
  maria.add_roles("rapid_responder");
  maria.add_languages("es");
  maria.add_languages("en");
  auto line = responder_line(maria);
  EXPECT_EQ(line.rfind("obs-maria ", 0), 0u) << line;
  EXPECT_TRUE(contains(line, "  Maria Lopez  ")) << line;
  EXPECT_TRUE(contains(line, "  legal_observer, rapid_responder  ")) << line;
  EXPECT_TRUE(contains(line, "[es, en]")) << line;

  // Nothing trails a responder without languages.
  auto line_without = responder_line(responder("disp-ana", "Ana"));
  EXPECT_NE(line_without.back(), ' ') << line_without;
}

TEST_F(Format, OnCallHasTheZoneThenNeighborhoodsStandbyAndDispatchers) {
  v1::OnCall on_call;
  *on_call.mutable_at() = at(may_1_2024_14_02_11);
  on_call.set_time_zone("America/Los_Angeles");
  auto* boyle = on_call.add_neighborhoods();
  boyle->set_neighborhood("boyle-heights");
  *boyle->add_responders() = responder("obs-maria", "Maria Lopez");
  on_call.add_neighborhoods()->set_neighborhood("lincoln-heights");
  *on_call.add_standby() = responder("vol-jose", "Jose");
  *on_call.add_dispatchers() = responder("disp-ana", "Ana");

  std::ostringstream out;
  print_on_call(out, on_call);
  auto text = out.str();
  EXPECT_EQ(text.rfind("on call at 2024-05-01 14:02:11", 0), 0u) << text;
  EXPECT_TRUE(contains(text.substr(0, text.find('\n')), "America/Los_Angeles")) << text;

  auto boyle_at = text.find("\nboyle-heights (1)\n  obs-maria ");
  auto lincoln_at = text.find("\nlincoln-heights (0)\n  nobody on call\n");
  auto standby_at = text.find("\nstandby (1)\n  vol-jose ");
  auto dispatchers_at = text.find("\ndispatchers (1)\n  disp-ana ");
  ASSERT_NE(boyle_at, std::string::npos) << text;
  ASSERT_NE(lincoln_at, std::string::npos) << text;
  ASSERT_NE(standby_at, std::string::npos) << text;
  ASSERT_NE(dispatchers_at, std::string::npos) << text;
  EXPECT_LT(boyle_at, lincoln_at);
  EXPECT_LT(lincoln_at, standby_at);
  EXPECT_LT(standby_at, dispatchers_at);
}

TEST_F(Format, EscalateAlertsShowTheirStepInTail) {
  v1::Alert alert;
  alert.set_type(v1::ESCALATE);
  alert.set_escalation_step(2);
  alert.set_neighborhood("lincoln-heights");
  alert.set_text("few on scene, come");
  alert.set_incident_id("inc-1");
  alert.set_offset("1-0");
  auto line = alert_line(alert);
  EXPECT_TRUE(contains(line, "ESCALATE  ")) << line;
  EXPECT_TRUE(contains(line, "few on scene, come (step 2)  [inc-1 @ 1-0]")) << line;
}

TEST_F(Format, IncidentWithoutTheNewFieldsLooksAsBefore) {
  v1::Incident incident;
  incident.set_id("inc-1");
  auto text = incident_text(incident);
  for (const char* absent : {"corroboration", "confirmed", "escalation", "alerted", "deliveries"})
    EXPECT_FALSE(contains(text, absent)) << absent << " in:\n" << text;
}

TEST_F(Format, IncidentShowsCorroborationEscalationAndRecipients) {
  v1::Incident incident;
  incident.set_id("inc-1");
  incident.set_neighborhood("boyle-heights");
  incident.set_reporters(3);
  *incident.mutable_confirmed_at() = at(may_1_2024_14_02_11);
  incident.set_escalation_step(1);
  incident.add_alerted_neighborhoods("boyle-heights");
  incident.add_alerted_neighborhoods("lincoln-heights");
  auto* escalate = incident.add_alerts();
  escalate->set_type(v1::ESCALATE);
  escalate->set_escalation_step(1);
  escalate->set_neighborhood("lincoln-heights");
  escalate->set_text("come");
  escalate->add_recipients("obs-maria");
  escalate->add_recipients("vol-jose");

  auto text = incident_text(incident);
  EXPECT_TRUE(contains(text, "seen by 3 independent reporters\n")) << text;
  EXPECT_TRUE(contains(text, "  confirmed     2024-05-01 14:02:11\n")) << text;
  EXPECT_TRUE(contains(text, "  escalation    step 1\n")) << text;
  EXPECT_TRUE(contains(text, "  alerted       boyle-heights, lincoln-heights\n")) << text;
  EXPECT_TRUE(contains(text, "ESCALATE    come (step 1)  in lincoln-heights  [2 recipients]\n"))
      << text;

  incident.set_reporters(1);
  EXPECT_TRUE(contains(incident_text(incident), "seen by 1 reporter\n"));
}

TEST_F(Format, DeliveriesAreGroupedPerAlertInTheIncidentsOrder) {
  v1::Incident incident;
  incident.set_id("inc-1");
  auto* verify = incident.add_alerts();
  verify->set_id("alr-1");
  verify->set_type(v1::VERIFY);
  *verify->mutable_sent_at() = at(may_1_2024_14_02_11);
  auto* dispatch = incident.add_alerts();
  dispatch->set_id("alr-2");
  dispatch->set_type(v1::DISPATCH);

  // The server may list deliveries in any order: by recipient, say.
  auto* late = incident.add_deliveries();
  late->set_alert_id("alr-2");
  late->set_responder_id("vol-jose");
  *late->mutable_sent_at() = at(may_1_2024_14_02_11 + 60);
  late->set_push_problem("gone");
  late->set_text_problem("failed");
  late->set_unreachable(true);
  auto* seen = incident.add_deliveries();
  seen->set_alert_id("alr-1");
  seen->set_responder_id("obs-maria");
  *seen->mutable_sent_at() = at(may_1_2024_14_02_11);
  *seen->mutable_delivered_at() = at(may_1_2024_14_02_11 + 1);
  *seen->mutable_pushed_at() = at(may_1_2024_14_02_11 + 16);
  *seen->mutable_shown_at() = at(may_1_2024_14_02_11 + 17);
  *seen->mutable_texted_at() = at(may_1_2024_14_02_11 + 20);
  *seen->mutable_text_delivered_at() = at(may_1_2024_14_02_11 + 24);
  *seen->mutable_seen_at() = at(may_1_2024_14_02_11 + 29);
  *seen->mutable_acked_at() = at(may_1_2024_14_02_11 + 171);
  seen->set_last_state(v1::EN_ROUTE);
  // Her phones went quiet, but she answered: nothing to warn of.
  *seen->mutable_phones_quiet_since() = at(may_1_2024_14_02_11 - 5 * 86400);
  // His have all gone quiet and he has not answered: a push may not reach him.
  auto* quiet = incident.add_deliveries();
  quiet->set_alert_id("alr-2");
  quiet->set_responder_id("obs-luis");
  *quiet->mutable_sent_at() = at(may_1_2024_14_02_11 + 60);
  *quiet->mutable_pushed_at() = at(may_1_2024_14_02_11 + 61);
  *quiet->mutable_phones_quiet_since() = at(may_1_2024_14_02_11 - 3 * 86400);

  auto text = incident_text(incident);
  auto table = text.substr(text.find("\ndeliveries (3"));
  EXPECT_EQ(table,
            "\ndeliveries (3, local times)\n"
            "  alr-1  VERIFY  14:02:11\n"
            "    responder           sent      socket    pushed    shown     texted    sms got   "
            "seen      "
            "acked     state\n"
            "    obs-maria           14:02:11  14:02:12  14:02:27  14:02:28  14:02:31  14:02:35  "
            "14:02:40  14:05:02  EN_ROUTE\n"
            "  alr-2  DISPATCH  -\n"
            "    responder           sent      socket    pushed    shown     texted    sms got   "
            "seen      "
            "acked     state\n"
            "    vol-jose            14:03:11  -         -         -         -         "
            "-         -         -         -  push gone  sms failed  UNREACHABLE\n"
            "    obs-luis            14:03:11  -         14:03:12  -         -         -         - "
            "        -         -  "
            "phones quiet since 2024-04-28\n");
}

}  // namespace
}  // namespace puente::cli
