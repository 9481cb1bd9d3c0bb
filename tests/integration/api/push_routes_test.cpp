// What a phone and a page call for Web Push, against real nodes and a real Redis: the public
// key; a responder's own phones (subscribe, list, remove; bad input refused by name with
// nothing stored; the cap; nobody else's phones seen or removed); acks and "shown" from a
// notification with the ack capability its push carries (for that alert only, not expired,
// not forged, the phone counted as heard from), the network's one ack key kept by Redis; every
// route 404 push_not_configured when Web Push is off. No log line holds a phone's endpoint.
#include "test_network.hpp"

#include "channels/push/p256_key.hpp"
#include "channels/push/vapid.hpp"
#include "core/ack_capability.hpp"
#include "core/base64url.hpp"
#include "core/clock.hpp"
#include "core/push_subscription.hpp"
#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <tuple>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// The ack key the tests put in Redis before the nodes start (they keep it: SET NX).
const std::string ack_secret = "0123456789abcdef0123456789abcdef";

const std::string push_config =
    "[push]\nvapid_key_file = \"vapid.pem\"\nsubject = \"mailto:ops@puente.test\"\n"
    "max_phones_per_responder = 2\n";

// A phone's endpoint: a capability, so each test's is its own and none may reach a log.
std::string endpoint(const std::string& phone) {
  return "https://fcm.googleapis.com/fcm/send/endpoint-secret-" + phone;
}

std::string subscription_json(const std::string& url, const std::string& device = "Maria's phone",
                              std::string p256dh = {}, std::string auth = {}) {
  if (p256dh.empty()) p256dh = core::base64url_encode(push::P256Key::generate().public_point());
  if (auth.empty()) auth = core::base64url_encode(std::string(16, '\x05'));
  return R"({"endpoint":")" + url + R"(","keys":{"p256dh":")" + p256dh + R"(","auth":")" + auth +
         R"("},"device":")" + device + R"("})";
}

std::string code_of(const client::HttpResponse& response) {
  v1::ServerMessage error;  // {"error": {"code", "message"}}
  if (!wire::from_json(response.body, error).empty()) return "(not an error body)";
  return error.error().code();
}

class PushRoutes : public ::testing::Test {
 protected:
  explicit PushRoutes(const std::string& config = push_config) : net(config) {}

  TestNetwork net;
  push::VapidKey vapid = push::VapidKey::generate();
  bool prepared = prepare();
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  core::AckCapabilityKey ack_key{ack_secret};

  bool prepare() {
    vapid.write_pem_file(net.dir() / "vapid.pem");
    EXPECT_EQ(net.redis_line("SET puente:ack_key " + ack_secret), "+OK");
    return true;
  }

  client::HttpResponse subscribe(const std::string& who, const std::string& body) {
    return a->call(http::verb::post, "/v1/me/push-subscriptions", net.token(who), body);
  }
  v1::PushSubscription subscribed(const std::string& who, const std::string& phone) {
    auto response = subscribe(who, subscription_json(endpoint(phone)));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::PushSubscription stored;
    EXPECT_EQ(wire::from_json(response.body, stored), "") << response.body;
    return stored;
  }
  v1::PushSubscriptionList phones(const std::string& who) {
    auto response = a->call(http::verb::get, "/v1/me/push-subscriptions", net.token(who));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::PushSubscriptionList list;
    EXPECT_EQ(wire::from_json(response.body, list), "") << response.body;
    return list;
  }

  // A capability as a push to `phone` would carry it.
  std::string capability(const std::string& alert_id, const std::string& phone_id,
                         std::chrono::seconds life = 1h, const std::string& responder = "obs-bh") {
    return ack_key.mint({.alert_id = alert_id,
                         .responder_id = responder,
                         .subscription_id = phone_id,
                         .expires_at = core::Clock::now() + life});
  }
  // A request from a service worker: the capability, no bearer token.
  client::HttpResponse from_phone(PuentedNode& node, const std::string& target,
                                  const std::string& capability, const std::string& body) {
    client::HttpClient phone(node.address());
    return phone.request(http::verb::post, target, body, {}, "application/json",
                         {{"Authorization", "Capability " + capability}});
  }

  v1::ReportReceipt report(Place where = boyle_heights) {
    auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(where.lat, where.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    return receipt;
  }
  v1::Incident incident(const std::string& id) {
    auto response = a->call(http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Incident out;
    EXPECT_EQ(wire::from_json(response.body, out), "");
    return out;
  }
  static std::string ack_json(const v1::Alert& alert, const std::string& state = "EN_ROUTE") {
    return R"({"alertId":")" + alert.id() + R"(","incidentId":")" + alert.incident_id() +
           R"(","state":")" + state + R"("})";
  }
  // What the service worker sends: the alert's id (the incident's may come too).
  static std::string shown_json(const v1::Alert& alert, bool with_incident = false) {
    if (!with_incident) return R"({"alertId":")" + alert.id() + R"("})";
    return R"({"alertId":")" + alert.id() + R"(","incidentId":")" + alert.incident_id() + R"("})";
  }
  // When the phone showed `alert` to obs-bh, as kept (ms), or 0.
  long long shown_ms(const v1::Alert& alert) {
    return net.redis_integer(
        "EVAL \"return tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')\" 1 "
        "puente:incident:" +
        alert.incident_id() + ":pushes \"shown " + alert.id() + " obs-bh\"");
  }
  // The "shown" records of an incident (its pushes hash holds the push pipeline's too).
  long long shown_records(const std::string& incident_id) {
    return net.redis_integer(
        "EVAL \"local n = 0 for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do "
        "if f:sub(1, 6) == 'shown ' then n = n + 1 end end return n\" 1 puente:incident:" +
        incident_id + ":pushes");
  }

  // Stops the node and says whether its log holds any of the phones' endpoints.
  void expect_no_endpoint_in_log() {
    auto log = a->log_path();
    a.reset();
    const auto text = file_text(log);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find("endpoint-secret"), std::string::npos) << "see " << log;
    EXPECT_EQ(text.find("ac1."), std::string::npos) << "a capability in the log; see " << log;
  }
};

TEST_F(PushRoutes, ThePublicKeyIsTheKeyFilesAndNeedsNoToken) {
  auto response = a->call(http::verb::get, "/v1/push/key", "");
  ASSERT_EQ(response.status, 200u) << response.body;
  v1::PushPublicKey key;
  ASSERT_EQ(wire::from_json(response.body, key), "");
  EXPECT_EQ(key.public_key(), vapid.public_key_base64url());
}

TEST_F(PushRoutes, APhoneIsSubscribedListedReplacedAndRemovedByItsOwnerAlone) {
  const auto before = core::Clock::now();
  auto response = subscribe("obs-bh", subscription_json(endpoint("m1")));
  ASSERT_EQ(response.status, 201u) << response.body;
  v1::PushSubscription stored;
  ASSERT_EQ(wire::from_json(response.body, stored), "");
  EXPECT_EQ(stored.id(), core::push_subscription_id(endpoint("m1")));
  EXPECT_EQ(stored.endpoint(), endpoint("m1")) << "the owner's own";
  EXPECT_EQ(stored.device(), "Maria's phone");
  EXPECT_GE(core::to_time_point(stored.last_contact_at()), before - 1s) << "subscribing is contact";

  // The same phone again replaces itself: 200, still one phone.
  response = subscribe("obs-bh", subscription_json(endpoint("m1"), "Maria's new name"));
  EXPECT_EQ(response.status, 200u) << response.body;
  auto mine = phones("obs-bh");
  ASSERT_EQ(mine.subscriptions_size(), 1);
  EXPECT_EQ(mine.subscriptions(0).device(), "Maria's new name");
  EXPECT_FALSE(mine.subscriptions(0).stale());

  // Nobody else sees it or removes it.
  EXPECT_EQ(phones("obs-dt").subscriptions_size(), 0);
  response =
      a->call(http::verb::delete_, "/v1/me/push-subscriptions/" + stored.id(), net.token("obs-dt"));
  EXPECT_EQ(response.status, 404u) << response.body;
  EXPECT_EQ(code_of(response), "unknown_push_subscription");
  EXPECT_EQ(phones("obs-bh").subscriptions_size(), 1);

  response =
      a->call(http::verb::delete_, "/v1/me/push-subscriptions/" + stored.id(), net.token("obs-bh"));
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(phones("obs-bh").subscriptions_size(), 0);
  response =
      a->call(http::verb::delete_, "/v1/me/push-subscriptions/" + stored.id(), net.token("obs-bh"));
  EXPECT_EQ(code_of(response), "unknown_push_subscription");

  // The audit log names the phone by id, never by endpoint.
  ASSERT_TRUE(wait_until([&] {
    auto log = a->audit_log(net.token("admin"));
    int found = 0;
    for (const auto& entry : log.entries())
      if (entry.subject() == stored.id() && entry.actor() == "obs-bh") ++found;
    return found == 3;  // subscribed twice, removed once
  }));
  EXPECT_EQ(net.values_holding("endpoint-secret"), 0) << "removed, and never in the audit log";
  expect_no_endpoint_in_log();
}

TEST_F(PushRoutes, BadSubscriptionsAreRefusedByNameAndStoreNothing) {
  const auto keys_before = net.redis_key_count();
  const auto good_p256dh = core::base64url_encode(push::P256Key::generate().public_point());
  std::string off_curve(65, '\0');
  off_curve[0] = '\x04';
  const struct {
    std::string body, code;
  } cases[] = {
      {subscription_json("http://fcm.googleapis.com/fcm/send/x"), "bad_endpoint"},
      {subscription_json("not a url"), "bad_endpoint"},
      {subscription_json("https://evil.example/push/1"), "endpoint_not_allowed"},
      {subscription_json(endpoint("k"), "phone", core::base64url_encode(off_curve)),
       "bad_push_keys"},
      {subscription_json(endpoint("k"), "phone", good_p256dh,
                         core::base64url_encode(std::string(15, 'a'))),
       "bad_push_keys"},
      {subscription_json(endpoint("k"), ""), "bad_device"},
      {subscription_json(endpoint("k"), std::string(65, 'x')), "bad_device"},
      {"{\"endpoint\":", "bad_json"},
      {"{\"endpoint\":\"" + endpoint("k") + "\",\"unknown\":1}", "bad_json"},
  };
  for (const auto& c : cases) {
    auto response = subscribe("obs-bh", c.body);
    EXPECT_EQ(response.status, 400u) << c.body << " -> " << response.body;
    EXPECT_EQ(code_of(response), c.code) << c.body << " -> " << response.body;
    EXPECT_EQ(response.body.find("endpoint-secret"), std::string::npos) << response.body;
  }
  EXPECT_EQ(net.redis_key_count(), keys_before);
  EXPECT_EQ(phones("obs-bh").subscriptions_size(), 0);
  // Not a phone id at all: no store lookup, the same answer.
  auto response =
      a->call(http::verb::delete_, "/v1/me/push-subscriptions/psub-x:1", net.token("obs-bh"));
  EXPECT_EQ(code_of(response), "unknown_push_subscription") << response.body;
  expect_no_endpoint_in_log();
}

TEST_F(PushRoutes, APhoneBeyondTheCapIsRefused) {
  subscribed("obs-bh", "c1");
  subscribed("obs-bh", "c2");
  auto response = subscribe("obs-bh", subscription_json(endpoint("c3")));
  EXPECT_EQ(response.status, 409u) << response.body;
  EXPECT_EQ(code_of(response), "too_many_phones");
  EXPECT_EQ(phones("obs-bh").subscriptions_size(), 2);
  // Others have their own cap.
  subscribed("obs-dt", "c3");
}

TEST_F(PushRoutes, ACapabilityAcksItsAlertAsItsResponderAndCountsAsContact) {
  auto phone = subscribed("obs-bh", "a1");
  const auto contact_before = core::to_ms(phone.last_contact_at());
  auto receipt = report();
  const auto& alert = receipt.incident().alerts(0);
  std::this_thread::sleep_for(5ms);  // a later contact is a later millisecond

  auto response = from_phone(*a, "/v1/acks", capability(alert.id(), phone.id()), ack_json(alert));
  ASSERT_EQ(response.status, 201u) << response.body;
  auto shown = incident(receipt.incident().id());
  ASSERT_EQ(shown.acks_size(), 1);
  EXPECT_EQ(shown.acks(0).responder_id(), "obs-bh");
  EXPECT_EQ(shown.acks(0).state(), v1::EN_ROUTE);
  auto mine = phones("obs-bh");
  ASSERT_EQ(mine.subscriptions_size(), 1);
  EXPECT_GT(core::to_ms(mine.subscriptions(0).last_contact_at()), contact_before);
}

TEST_F(PushRoutes, ACapabilityForAnotherAlertExpiredOrForgedIsRefusedAndNothingChanges) {
  auto phone = subscribed("obs-bh", "r1");
  auto receipt = report(boyle_heights_spot(0));
  const auto& alert = receipt.incident().alerts(0);
  auto other = report(boyle_heights_spot(5));
  const auto& other_alert = other.incident().alerts(0);

  // For another alert: refused, even though the responder could ack it with their token.
  auto response =
      from_phone(*a, "/v1/acks", capability(other_alert.id(), phone.id()), ack_json(alert));
  EXPECT_EQ(response.status, 403u) << response.body;
  EXPECT_EQ(code_of(response), "capability_not_for_this_alert");
  response =
      from_phone(*a, "/v1/push/shown", capability(other_alert.id(), phone.id()), shown_json(alert));
  EXPECT_EQ(code_of(response), "capability_not_for_this_alert");

  // Expired.
  response = from_phone(*a, "/v1/acks", capability(alert.id(), phone.id(), -1s), ack_json(alert));
  EXPECT_EQ(response.status, 401u) << response.body;
  EXPECT_EQ(code_of(response), "bad_capability");

  // Signed with another key, or tampered with.
  core::AckCapabilityKey forger(std::string(32, 'f'));
  auto forged = forger.mint({.alert_id = alert.id(),
                             .responder_id = "obs-bh",
                             .subscription_id = phone.id(),
                             .expires_at = core::Clock::now() + 1h});
  response = from_phone(*a, "/v1/acks", forged, ack_json(alert));
  EXPECT_EQ(code_of(response), "bad_capability") << response.body;
  auto tampered = capability(alert.id(), phone.id());
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  response = from_phone(*a, "/v1/acks", tampered, ack_json(alert));
  EXPECT_EQ(code_of(response), "bad_capability") << response.body;
  response = from_phone(*a, "/v1/push/shown", "", shown_json(alert));
  EXPECT_EQ(code_of(response), "bad_capability") << response.body;

  EXPECT_EQ(incident(receipt.incident().id()).acks_size(), 0);
  EXPECT_EQ(incident(other.incident().id()).acks_size(), 0);
  EXPECT_EQ(shown_records(receipt.incident().id()), 0);
  EXPECT_EQ(phones("obs-bh").subscriptions(0).last_contact_at().seconds(),
            phone.last_contact_at().seconds());
  EXPECT_EQ(phones("obs-bh").subscriptions(0).last_contact_at().nanos(),
            phone.last_contact_at().nanos());
  expect_no_endpoint_in_log();
}

TEST_F(PushRoutes, ShownIsRecordedOnceTheEarliestAndCountsAsContact) {
  auto phone = subscribed("obs-bh", "s1");
  auto receipt = report(boyle_heights_spot(1));
  const auto& alert = receipt.incident().alerts(0);
  const auto before = core::to_ms(core::Clock::now());
  auto cap = capability(alert.id(), phone.id());
  auto response = from_phone(*a, "/v1/push/shown", cap, shown_json(alert));
  ASSERT_EQ(response.status, 204u) << response.body;
  const auto first = shown_ms(alert);
  EXPECT_GE(first, before);
  EXPECT_LE(first, core::to_ms(core::Clock::now()));
  std::this_thread::sleep_for(5ms);
  response = from_phone(*a, "/v1/push/shown", cap, shown_json(alert));
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(shown_ms(alert), first) << "the earliest stands";
  EXPECT_EQ(shown_records(alert.incident_id()), 1);
  EXPECT_GT(core::to_ms(phones("obs-bh").subscriptions(0).last_contact_at()),
            core::to_ms(phone.last_contact_at()));

  // Naming the incident too: the same record.
  response = from_phone(*a, "/v1/push/shown", cap, shown_json(alert, /*with_incident=*/true));
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(shown_ms(alert), first);

  // Naming another incident, or an alert no incident sent: nothing written anywhere.
  auto other = report(boyle_heights_spot(8));
  v1::Alert stray = alert;
  stray.set_incident_id(other.incident().id());
  response = from_phone(*a, "/v1/push/shown", cap, shown_json(stray, true));
  EXPECT_EQ(response.status, 404u) << response.body;
  EXPECT_EQ(code_of(response), "unknown_alert");
  stray.set_incident_id("../x");
  response = from_phone(*a, "/v1/push/shown", cap, shown_json(stray, true));
  EXPECT_EQ(response.status, 404u) << response.body;
  v1::Alert unsent = alert;
  unsent.set_id("al-0123456789abcdef");
  response =
      from_phone(*a, "/v1/push/shown", capability(unsent.id(), phone.id()), shown_json(unsent));
  EXPECT_EQ(response.status, 404u) << response.body;
  EXPECT_EQ(code_of(response), "unknown_alert");
  EXPECT_EQ(shown_records(other.incident().id()), 0);
  EXPECT_EQ(shown_records(alert.incident_id()), 1);
}

// The route is the admin's; sending is the push pipeline's (ApiServices::send_test_push).
TEST_F(PushRoutes, OnlyAnAdminSendsATestPushToAResponderOfTheRoster) {
  auto response = a->call(http::verb::post, "/v1/admin/push-test", net.token("disp"),
                          R"({"responderId":"obs-bh"})");
  EXPECT_EQ(response.status, 403u) << response.body;
  EXPECT_EQ(code_of(response), "forbidden");
  response = a->call(http::verb::post, "/v1/admin/push-test", net.token("admin"),
                     R"({"responderId":"nobody"})");
  EXPECT_EQ(response.status, 400u) << response.body;
  EXPECT_EQ(code_of(response), "unknown_responder");
  response = a->call(http::verb::post, "/v1/admin/push-test", net.token("admin"), "{");
  EXPECT_EQ(code_of(response), "bad_json") << response.body;
}

// Two nodes, one key: a capability minted under the key Redis holds is good on either.
TEST_F(PushRoutes, EveryNodeKeepsTheKeyRedisHolds) {
  auto b = net.start_node("b");
  auto phone = subscribed("obs-bh", "n1");
  auto receipt = report();
  const auto& alert = receipt.incident().alerts(0);
  auto response =
      from_phone(*b, "/v1/push/shown", capability(alert.id(), phone.id()), shown_json(alert));
  EXPECT_EQ(response.status, 204u) << response.body;
  EXPECT_EQ(net.redis_integer("EVAL \"return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0\" "
                              "1 puente:ack_key " +
                              ack_secret),
            1)
      << "SET NX: the key already there stays";
}

// Every capability of one responder takes from one bucket, apart from their bearer tokens'; a
// guesser of capabilities is slowed like a guesser of tokens.
class PushRateLimits : public PushRoutes {
 protected:
  PushRateLimits()
      : PushRoutes(push_config + R"(
[rate_limits]
reports_per_token_per_second = 0
requests_per_token_per_second = 0.01
requests_per_token_burst = 3
requests_per_address_per_second = 0
failed_sign_ins_per_address_per_second = 0.01
failed_sign_ins_per_address_burst = 2
)") {}
};

TEST_F(PushRateLimits, CapabilitiesShareTheirRespondersBucketAndForgeriesTheAddresss) {
  auto phone = subscribed("obs-bh", "l1");  // one of the bearer token's 3
  auto receipt = report();
  const auto& alert = receipt.incident().alerts(0);
  // Two phones' capabilities, one responder: one bucket of 3.
  const auto first = capability(alert.id(), phone.id());
  const auto second = capability(alert.id(), "psub-0123456789abcdef");
  for (const auto* cap : {&first, &second, &first})
    EXPECT_EQ(from_phone(*a, "/v1/push/shown", *cap, shown_json(alert)).status, 204u);
  auto response = from_phone(*a, "/v1/push/shown", second, shown_json(alert));
  EXPECT_EQ(response.status, 429u) << response.body;
  EXPECT_TRUE(response.header("Retry-After")) << response.body;
  response = from_phone(*a, "/v1/acks", first, ack_json(alert));
  EXPECT_EQ(response.status, 429u) << response.body;
  EXPECT_EQ(incident(receipt.incident().id()).acks_size(), 0) << "a limited ack changes nothing";
  // The responder's bearer token has its own bucket.
  EXPECT_EQ(phones("obs-bh").subscriptions_size(), 1);

  // Forgeries: 2 refused, then the address is limited.
  core::AckCapabilityKey forger(std::string(32, 'f'));
  auto forged = forger.mint({.alert_id = alert.id(),
                             .responder_id = "obs-dt",
                             .subscription_id = phone.id(),
                             .expires_at = core::Clock::now() + 1h});
  EXPECT_EQ(code_of(from_phone(*a, "/v1/push/shown", forged, shown_json(alert))), "bad_capability");
  EXPECT_EQ(code_of(from_phone(*a, "/v1/push/shown", forged, shown_json(alert))), "bad_capability");
  EXPECT_EQ(code_of(from_phone(*a, "/v1/push/shown", forged, shown_json(alert))), "rate_limited");
}

TEST(PushAckKey, TheFirstNodeMakesTheKeyOf32Bytes) {
  TestNetwork net(push_config);
  push::VapidKey::generate().write_pem_file(net.dir() / "vapid.pem");
  auto a = net.start_node("a");
  ASSERT_TRUE(wait_until([&] { return net.redis_integer("EXISTS puente:ack_key") == 1; }));
  EXPECT_EQ(net.redis_integer("STRLEN puente:ack_key"), 32);
}

class PushOff : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");
};

TEST_F(PushOff, EveryPushRouteSaysPushIsNotConfigured) {
  const auto phone = subscription_json(endpoint("off"));
  for (auto [verb, target, body] :
       {std::tuple{http::verb::get, "/v1/push/key", std::string()},
        std::tuple{http::verb::post, "/v1/me/push-subscriptions", phone},
        std::tuple{http::verb::get, "/v1/me/push-subscriptions", std::string()},
        std::tuple{http::verb::delete_, "/v1/me/push-subscriptions/psub-0123456789abcdef",
                   std::string()}}) {
    auto response = a->call(verb, target, net.token("obs-bh"), body);
    EXPECT_EQ(response.status, 404u) << target << ": " << response.body;
    EXPECT_EQ(code_of(response), "push_not_configured") << target;
  }
  client::HttpClient worker(a->address());
  auto response = worker.request(http::verb::post, "/v1/push/shown", "{}", {}, "application/json",
                                 {{"Authorization", "Capability ac1.x.y"}});
  EXPECT_EQ(code_of(response), "push_not_configured") << response.body;
  EXPECT_EQ(net.redis_integer("EXISTS puente:ack_key"), 0) << "no key without Web Push";
}

}  // namespace
}  // namespace puente::test
