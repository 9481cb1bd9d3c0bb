// Phones that go quiet (docs/push.md, channels/phone_sweep.hpp), across real puented nodes and a
// real Redis, through the tests' own push service (push_network_test.hpp): a phone not heard
// from past [push] stale_after_hours gets one "nudge" in its responder's language and shows
// stale, and later sweeps send it no second one; a phone quiet past drop_after_days gets one
// "dropped" notice and is removed; a phone heard from lately gets nothing. Two nodes sweeping
// while a slow push service holds the notices still send one notice per quiet phone.
//
// The thresholds are whole hours and days, so the phones are made quiet by their last contact
// (the fixture stores it in the past), and the sweep runs every second.
#include "push_network_test.hpp"

#include "puente/v1/json.hpp"

#include <thread>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace json = boost::json;

// A phone is stale after an hour without a word, dropped after a day; one sweep a second.
const std::string quick_sweep =
    "stale_after_hours = 1\ndrop_after_days = 1\nsweep_interval_seconds = 1\n";

class PhoneSweep : public PushNetworkTest {
 protected:
  // `responder`'s phones as GET /v1/me/push-subscriptions answers them.
  static v1::PushSubscriptionList phones_of(TestNetwork& net, PuentedNode& node,
                                            const std::string& responder) {
    auto got = node.call(http::verb::get, "/v1/me/push-subscriptions", net.token(responder));
    EXPECT_EQ(got.status, 200) << got.body;
    v1::PushSubscriptionList list;
    EXPECT_EQ(wire::from_json(got.body, list), "") << got.body;
    return list;
  }

  // The decrypted payloads of the pushes `phone` received, in order.
  std::vector<json::object> payloads_to(const LoopbackSubscription& phone) {
    std::vector<json::object> out;
    for (const auto& push : pushes_to(phone)) {
      EXPECT_TRUE(push.at("errors").as_array().empty()) << json::serialize(push);
      out.push_back(json::parse(decoded_payload(push)).as_object());
    }
    return out;
  }
};

TEST_F(PhoneSweep, APhoneQuietPastStaleAfterHoursGetsOneNudgeInItsLanguageAndShowsStale) {
  auto net = network("", quick_sweep);
  auto node = net->start_node("a");
  const auto quiet = register_phone(*net, "obs-bh", std::chrono::system_clock::now() - 2h);
  const auto lately = register_phone(*net, "obs-dt", std::chrono::system_clock::now() - 30min);

  ASSERT_EQ(wait_for_pushes(quiet, 1).size(), 1u) << service->log();
  const auto nudge = payloads_to(quiet).at(0);
  EXPECT_EQ(nudge.at("kind"), "nudge") << json::serialize(nudge);
  EXPECT_EQ(nudge.at("lang"), "es");  // obs-bh reads Spanish (config/templates/es.toml)
  EXPECT_EQ(nudge.at("title"), "Puente: abre la app");
  EXPECT_EQ(nudge.at("body"),
            "No sabemos de este teléfono desde hace tiempo. Abre Puente para que siga recibiendo "
            "alertas.");
  EXPECT_FALSE(nudge.contains("capability")) << "a nudge acks nothing";

  // Stale in the owner's list, with the nudge's time once the push service took it; the phone
  // heard from half an hour ago is not.
  ASSERT_TRUE(wait_until([&] {
    const auto list = phones_of(*net, *node, "obs-bh");
    return list.subscriptions_size() == 1 && list.subscriptions(0).has_nudged_at();
  }));
  const auto mine = phones_of(*net, *node, "obs-bh");
  EXPECT_TRUE(mine.subscriptions(0).stale());
  EXPECT_EQ(mine.subscriptions(0).id(), "psub-" + quiet.id);
  const auto theirs = phones_of(*net, *node, "obs-dt");
  ASSERT_EQ(theirs.subscriptions_size(), 1);
  EXPECT_FALSE(theirs.subscriptions(0).stale());

  // Three more sweeps: no second nudge in the same quiet spell, nothing to the other phone, and
  // the quiet phone is kept (it is a day from being dropped).
  std::this_thread::sleep_for(3500ms);
  EXPECT_EQ(pushes_to(quiet).size(), 1u) << "nudged again";
  EXPECT_EQ(pushes_to(lately).size(), 0u) << "a phone heard from lately was pushed to";
  EXPECT_EQ(phones_of(*net, *node, "obs-bh").subscriptions_size(), 1);
}

TEST_F(PhoneSweep, APhoneQuietPastDropAfterDaysGetsOneDroppedNoticeAndIsRemoved) {
  auto net = network("", quick_sweep);
  auto node = net->start_node("a");
  const auto gone = register_phone(*net, "att-bh", std::chrono::system_clock::now() - 50h);
  const auto kept = register_phone(*net, "att-bh", std::chrono::system_clock::now());

  ASSERT_EQ(wait_for_pushes(gone, 1).size(), 1u) << service->log();
  const auto notice = payloads_to(gone).at(0);
  EXPECT_EQ(notice.at("kind"), "dropped") << json::serialize(notice);
  EXPECT_EQ(notice.at("lang"), "en");  // att-bh reads English
  EXPECT_EQ(notice.at("title"), "Puente: no more alerts on this phone");
  EXPECT_EQ(notice.at("body"),
            "This phone was silent for weeks and no longer gets alerts. Open Puente to turn them "
            "on again.");

  // Removed, and only it: the responder's other phone stays.
  ASSERT_TRUE(wait_until([&] {
    return phones_of(*net, *node, "att-bh").subscriptions_size() == 1;
  })) << "the dropped phone is still registered";
  EXPECT_EQ(phones_of(*net, *node, "att-bh").subscriptions(0).id(), "psub-" + kept.id);
  EXPECT_EQ(net->redis_integer("SISMEMBER puente:push:endpoint:psub-" + gone.id + " att-bh"), 0);
  EXPECT_EQ(net->redis_integer("HEXISTS puente:push-notices:att-bh psub-" + gone.id), 0)
      << "the mark of its notice outlived the phone";

  std::this_thread::sleep_for(3500ms);
  EXPECT_EQ(pushes_to(gone).size(), 1u) << "a second dropped notice";
  EXPECT_EQ(pushes_to(kept).size(), 0u) << "a phone heard from lately was pushed to";
}

// Each sweep (one a second, on whichever node takes the period's lease) sees the quiet phones
// until the push service has answered: a service that takes 2.5 s to answer leaves the nudge
// unrecorded and the dropped phone in place for two more sweeps. Each still gets one notice.
TEST_F(PhoneSweep, TwoNodesSweepingWhileASlowPushServiceHoldsTheNoticesSendOneEach) {
  auto net = network("", quick_sweep, 6s);  // slow, not failing: each notice is answered 201
  auto a = net->start_node("a");
  auto b = net->start_node("b");
  const auto nudged = register_phone(*net, "obs-bh", std::chrono::system_clock::now() - 2h);
  const auto dropped = register_phone(*net, "att-bh", std::chrono::system_clock::now() - 50h);
  service->answer_with(nudged.id, 201, {}, 2500ms);
  service->answer_with(dropped.id, 201, {}, 2500ms);

  ASSERT_TRUE(wait_until([&] { return net->redis_integer("EXISTS puente:push:att-bh") == 0; }, 15s))
      << "the dropped phone is still registered";
  ASSERT_TRUE(wait_until(
      [&] {
        const auto list = phones_of(*net, *a, "obs-bh");
        return list.subscriptions_size() == 1 && list.subscriptions(0).has_nudged_at();
      },
      15s));
  std::this_thread::sleep_for(3500ms);  // three more sweeps, and any late copy has arrived

  std::map<std::string, int> kinds;
  for (const auto& payload : payloads_to(nudged))
    ++kinds[std::string(payload.at("kind").as_string())];
  for (const auto& payload : payloads_to(dropped))
    ++kinds[std::string(payload.at("kind").as_string())];
  EXPECT_EQ(kinds["nudge"], 1) << service->log();
  EXPECT_EQ(kinds["dropped"], 1) << service->log();
  EXPECT_EQ(kinds.size(), 2u);
  EXPECT_EQ(pushes_to(nudged).size() + pushes_to(dropped).size(), 2u);
}

// A sweep holds itself and its Redis link while its command is out (channels/phone_sweep.cpp).
// A node stopped then must still fail that command with `stopped` before its threads end: left
// in flight, it kept the sweep, the link and the command alive past the node, and
// LeakSanitizer failed the exit (seen under load, whenever a node stopped with a command out).
TEST_F(PhoneSweep, ANodeStoppedWhileItsSweepWaitsOnRedisExitsCleanly) {
  // Redis answers nothing (paused), and the node would wait 30 s for a reply.
  TestNetwork net(push_sections(keys.path() / "vapid.pem", quick_sweep) + "\n", "",
                  "command_timeout_ms = 30000");
  auto node = net.start_node("a");
  net.redis().pause();
  std::this_thread::sleep_for(1500ms);  // a sweep (one a second) has sent its SET NX
  ::kill(node->process().pid(), SIGTERM);
  const auto exit = node->process().wait_for_exit(30s);
  net.redis().resume();
  ASSERT_TRUE(exit) << "still running after SIGTERM; see " << node->log_path();
  EXPECT_TRUE(exit->exited) << "killed by signal " << exit->signal;
  EXPECT_EQ(exit->code, 0) << "see " << node->log_path();
}

}  // namespace
}  // namespace puente::test
