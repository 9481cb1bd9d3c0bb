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
inline std::string decoded_payload(const boost::json::value& push) { return push_plaintext(push); }

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

  // The [push] section of a network whose nodes push to the loopback service with the VAPID key
  // in `key_file`, and a [delivery] that pushes soon after a socket's grace; `push` goes into
  // [push]. A push service that takes longer than `response_timeout` to answer is a network
  // error.
  std::string push_sections(const std::filesystem::path& key_file, const std::string& push = "",
                            std::chrono::milliseconds response_timeout = std::chrono::seconds(1)) {
    return "[push]\nvapid_key_file = \"" + key_file.string() +
           "\"\nsubject = \"mailto:ops@puente.test\"\n"
           "allowed_hosts = [\"localhost\"]\nallow_private_addresses = true\n"
           "ca_file = \"" +
           service->certificate().string() +
           "\"\nconnect_timeout_ms = 1000\nresponse_timeout_ms = " +
           std::to_string(response_timeout.count()) + "\n" + push +
           "\n[delivery]\nsocket_grace_ms = 300\n";
  }

  // A network whose nodes push to the loopback service (push_sections); `more` goes after it
  // (whole sections, e.g. "[delivery.VERIFY]\n...").
  std::unique_ptr<TestNetwork> network(
      const std::string& more = "", const std::string& push = "",
      std::chrono::milliseconds response_timeout = std::chrono::seconds(1)) {
    return std::make_unique<TestNetwork>(
        push_sections(keys.path() / "vapid.pem", push, response_timeout) + more + "\n");
  }

  // A phone of the service registered for `responder` (the store API: see the top), subscribed
  // and last heard from at `heard_at`.
  LoopbackSubscription register_phone(
      TestNetwork& net, const std::string& responder,
      std::chrono::system_clock::time_point heard_at = std::chrono::system_clock::now()) {
    return register_phone(net.redis().port(), "puente:", responder, heard_at);
  }
  // The same in the network whose keys start with `key_prefix`, on the Redis at `redis_port`.
  LoopbackSubscription register_phone(
      unsigned short redis_port, const std::string& key_prefix, const std::string& responder,
      std::chrono::system_clock::time_point heard_at = std::chrono::system_clock::now()) {
    auto made = service->subscribe();
    IoThreads io{1};
    RedisLink link{io, redis_port};
    EXPECT_TRUE(link.wait_up());
    store::PushSubscriptionStore phones(link.connection(), store::Keys(key_prefix));
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
