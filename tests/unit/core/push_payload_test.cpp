// The plaintext of a push (core/push_payload.hpp), as the service worker reads it: every field of
// an alert's, none of an alert's for a test, urgency and buttons by alert type, and a body cut
// at a character boundary so the whole stays within a push's 3,993 bytes.
#include "core/push_payload.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace puente::core {
namespace {

namespace json = boost::json;

v1::Alert verify_alert() {
  v1::Alert a;
  a.set_id("al-1");
  a.set_incident_id("inc-9");
  a.set_neighborhood("boyle-heights");
  a.set_type(v1::VERIFY);
  *a.mutable_sent_at() = timestamp_from_ms(1780000000000);
  return a;
}

TEST(PushPayload, AnAlertCarriesEveryFieldTheServiceWorkerReads) {
  const auto alert = verify_alert();
  PushPayload p;
  p.title = "SIN VERIFICAR: Redada en Boyle Heights";
  p.body = "Texto";
  p.lang = "es";
  p.alert = &alert;
  p.capability = "ac1.x.y";
  p.actions = {{"EN_ROUTE", "Voy en camino"}, {"DECLINED", "No puedo ir"}};
  const auto o = json::parse(push_payload_json(p)).as_object();
  EXPECT_EQ(o.at("v"), 1);
  EXPECT_EQ(o.at("kind"), "alert");
  EXPECT_EQ(o.at("lang"), "es");
  EXPECT_EQ(o.at("tag"), "inc-inc-9");
  EXPECT_EQ(o.at("urgent"), true);
  EXPECT_EQ(o.at("url"), "/observer.html#incident=inc-9");
  EXPECT_EQ(o.at("alert").at("id"), "al-1");
  EXPECT_EQ(o.at("alert").at("type"), "VERIFY");
  EXPECT_EQ(o.at("alert").at("sentAtMs"), 1780000000000);
  EXPECT_EQ(o.at("capability"), "ac1.x.y");
  EXPECT_EQ(o.at("actions").as_array().size(), 2u);
  EXPECT_EQ(o.at("actions").at(1).at("title"), "No puedo ir");
}

TEST(PushPayload, ATestHasNoAlertCapabilityOrButtons) {
  PushPayload p;
  p.kind = "test";
  p.title = "Puente: test";
  p.body = "ok";
  const auto o = json::parse(push_payload_json(p)).as_object();
  EXPECT_EQ(o.at("kind"), "test");
  EXPECT_FALSE(o.contains("alert"));
  EXPECT_FALSE(o.contains("capability"));
  EXPECT_FALSE(o.contains("actions"));
  EXPECT_EQ(o.at("urgent"), false);
}

TEST(PushPayload, UrgencyAndButtonsFollowTheAlertType) {
  for (auto type : {v1::VERIFY, v1::DISPATCH, v1::ESCALATE}) EXPECT_TRUE(urgent(type));
  for (auto type : {v1::UPDATE, v1::DEBUNK, v1::STAND_DOWN}) EXPECT_FALSE(urgent(type));
  EXPECT_EQ(notification_actions(v1::VERIFY).size(), 2u);
  EXPECT_TRUE(notification_actions(v1::DEBUNK).empty());
  EXPECT_TRUE(notification_actions(v1::STAND_DOWN).empty());
}

TEST(PushPayload, ALongBodyIsCutAtACharacterToFit) {
  const auto alert = verify_alert();
  PushPayload p;
  p.title = "t";
  p.alert = &alert;
  for (int i = 0; i < 3000; ++i) p.body += "ñ\"";  // 2 bytes, and a quote JSON escapes
  const auto text = push_payload_json(p, 3993);
  EXPECT_LE(text.size(), 3993u);
  const auto o = json::parse(text).as_object();  // still valid JSON, so valid UTF-8 cut
  const std::string body(o.at("body").as_string());
  EXPECT_GT(body.size(), 1000u);
  EXPECT_EQ(body.substr(body.size() - 3), "\xE2\x80\xA6");
  PushPayload short_one;
  short_one.body = "short";
  EXPECT_EQ(push_payload_json(short_one, 3993).find("\xE2\x80\xA6"), std::string::npos);
}

}  // namespace
}  // namespace puente::core
