// The sms rung as the rung worker sees it (channels/rung_worker.hpp): a recipient is reachable
// by text only with a number and "sms" in the roster and no STOP, the rung is taken once, and the
// default ladders text at once without a socket for DISPATCH and after 60 s for VERIFY. Also
// the board's "unreachable": a responder a text can reach is not.
#include "channels/rung_worker.hpp"

#include <gtest/gtest.h>

namespace puente::channels {
namespace {

using namespace std::chrono_literals;

v1::Incident incident_with(v1::AlertType type) {
  v1::Incident incident;
  incident.set_id("inc-0123456789abcdef");
  auto* alert = incident.add_alerts();
  alert->set_id("alert-1");
  alert->set_type(type);
  alert->add_recipients("ana");
  auto* delivery = incident.add_deliveries();
  delivery->set_alert_id("alert-1");
  delivery->set_responder_id("ana");
  return incident;
}

TEST(SmsRung, ReachableByTextWithANumberAndNoStop) {
  const auto incident = incident_with(v1::DISPATCH);
  store::PushQueue::RungFacts facts;
  auto progress = progress_of(incident, incident.alerts(0), "ana", facts, true);
  EXPECT_TRUE(progress.reachable_by.count(core::Channel::sms));
  EXPECT_FALSE(progress.tried.count(core::Channel::sms));
  EXPECT_FALSE(progress_of(incident, incident.alerts(0), "ana", facts, false)
                   .reachable_by.count(core::Channel::sms));
  facts.stopped.insert("ana");
  EXPECT_FALSE(progress_of(incident, incident.alerts(0), "ana", facts, true)
                   .reachable_by.count(core::Channel::sms));
  facts.stopped.clear();
  facts.texted.insert("ana");
  EXPECT_TRUE(progress_of(incident, incident.alerts(0), "ana", facts, true)
                  .tried.count(core::Channel::sms));
}

TEST(SmsRung, DispatchTextsAtOnceWithoutASocketAndVerifyAfterAMinute) {
  const core::DeliveryLadders ladders;
  store::PushQueue::RungFacts facts;
  const auto dispatch = incident_with(v1::DISPATCH);
  auto now =
      ladders.next(v1::DISPATCH, progress_of(dispatch, dispatch.alerts(0), "ana", facts, true), 0s);
  ASSERT_EQ(now.now.size(), 1u);
  EXPECT_EQ(now.now[0], core::Channel::sms);

  const auto verify = incident_with(v1::VERIFY);
  const auto progress = progress_of(verify, verify.alerts(0), "ana", facts, true);
  auto early = ladders.next(v1::VERIFY, progress, 59s);
  EXPECT_TRUE(early.now.empty());
  ASSERT_TRUE(early.look_again_at);
  EXPECT_EQ(*early.look_again_at, 60s);
  EXPECT_EQ(ladders.next(v1::VERIFY, progress, 60s).now.size(), 1u);

  // Taken once: never again.
  facts.texted.insert("ana");
  EXPECT_TRUE(
      ladders.next(v1::VERIFY, progress_of(verify, verify.alerts(0), "ana", facts, true), 600s)
          .now.empty());
}

TEST(SmsRung, AResponderATextCanReachIsNotUnreachable) {
  auto incident = incident_with(v1::DISPATCH);
  mark_unreachable(incident, {}, core::DeliveryLadders{});
  EXPECT_TRUE(incident.deliveries(0).unreachable());
  mark_unreachable(incident, {}, core::DeliveryLadders{}, {"ana"});
  EXPECT_FALSE(incident.deliveries(0).unreachable());
}

}  // namespace
}  // namespace puente::channels
