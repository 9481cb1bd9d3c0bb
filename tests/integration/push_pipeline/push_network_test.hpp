#pragma once
// The fixture of the tests that follow pushes from real puented nodes and a real Redis to the
// tests' own push service on loopback (tests/push_service: it decrypts every push with http_ece
// and checks its VAPID JWT): a network whose nodes push there, phones of the service registered
// for a responder, and what the service received for each.
//
// Phones are registered through PushSubscriptionStore (the store API), which lets a test give a
// phone the push service's own keys directly, and a last contact in the past (the quiet-phone
// thresholds are whole hours and days: a phone quiet for two hours is one stored with a last
// contact two hours ago, as a phone that subscribed then and was never heard from since looks);
// POST /v1/me/push-subscriptions is tested by PushRoutes, and from the page to a shown
// notification by Browser.TheObserverApp....
#include "channels/push/vapid.hpp"
#include "core/base64url.hpp"
#include "core/clock.hpp"
#include "loopback_push_service.hpp"
#include "store/push_subscription_store.hpp"
#include "temp_dir.hpp"
#include "test_network.hpp"
#include "wait_until.hpp"

#include "../store/redis_link.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

namespace puente::test {

// A push's plaintext as the service decrypted it.
inline std::string decoded_payload(const boost::json::value& push) {
  // The service writes the plaintext as standard base64; base64url decodes it here.
  std::string text(push.at("payload").as_string());
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!text.empty() && text.back() == '=') text.pop_back();
  return core::base64url_decode(text).value_or("<not base64>");
}

class PushNetworkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (auto missing = LoopbackPushService::missing_tools(); !missing.empty()) {
      if (std::getenv("PUENTE_REQUIRE_BROWSER")) FAIL() << "the push tests need:" << missing;
      GTEST_SKIP() << "the push tests need:" << missing;
    }
  }

  void SetUp() override {
    if (!LoopbackPushService::missing_tools().empty()) GTEST_SKIP();
    service = std::make_unique<LoopbackPushService>();
    push::VapidKey::generate().write_pem_file(keys.path() / "vapid.pem");
  }

  // A network whose nodes push to the loopback service; `push` goes into [push] and `more` after
  // it (whole sections, e.g. "[delivery.VERIFY]\n..."). A push service that takes longer than
  // `response_timeout` to answer is a network error.
  std::unique_ptr<TestNetwork> network(
      const std::string& more = "", const std::string& push = "",
      std::chrono::milliseconds response_timeout = std::chrono::seconds(1)) {
    std::string config = "[push]\nvapid_key_file = \"" + (keys.path() / "vapid.pem").string() +
                         "\"\nsubject = \"mailto:ops@puente.test\"\n"
                         "allowed_hosts = [\"localhost\"]\nallow_private_addresses = true\n"
                         "ca_file = \"" +
                         service->certificate().string() +
                         "\"\nconnect_timeout_ms = 1000\nresponse_timeout_ms = " +
                         std::to_string(response_timeout.count()) + "\n" + push +
                         "\n[delivery]\nsocket_grace_ms = 300\n" + more + "\n";
    return std::make_unique<TestNetwork>(config);
  }

  // A phone of the service registered for `responder` (the store API: see the top), subscribed
  // and last heard from at `heard_at`.
  LoopbackSubscription register_phone(
      TestNetwork& net, const std::string& responder,
      std::chrono::system_clock::time_point heard_at = std::chrono::system_clock::now()) {
    auto made = service->subscribe();
    IoThreads io{1};
    RedisLink link{io, net.redis().port()};
    EXPECT_TRUE(link.wait_up());
    store::PushSubscriptionStore phones(link.connection(), store::Keys("puente:"));
    v1::PushSubscription s;
    s.set_id("psub-" + made.id);
    s.set_endpoint(made.endpoint);
    s.mutable_keys()->set_p256dh(made.p256dh);
    s.mutable_keys()->set_auth(made.auth);
    s.set_device("test phone");
    *s.mutable_created_at() = core::to_timestamp(heard_at);
    *s.mutable_last_contact_at() = core::to_timestamp(heard_at);
    std::promise<store::PushSubscriptionStore::Saved> saved;
    phones.save(responder, s, 50, [&](auto outcome) { saved.set_value(outcome); });
    EXPECT_EQ(saved.get_future().get(), store::PushSubscriptionStore::Saved::saved);
    return made;
  }

  // The pushes the service received for `subscription` so far.
  boost::json::array pushes_to(const LoopbackSubscription& subscription) {
    boost::json::array out;
    for (const auto& push : service->received())
      if (push.at("subscription").as_string() == subscription.id) out.push_back(push);
    return out;
  }
  boost::json::array wait_for_pushes(const LoopbackSubscription& subscription, std::size_t count,
                                     std::chrono::milliseconds wait = std::chrono::seconds(10)) {
    wait_until([&] { return pushes_to(subscription).size() >= count; }, wait);
    return pushes_to(subscription);
  }

  TempDir keys;
  std::unique_ptr<LoopbackPushService> service;
};

}  // namespace puente::test
