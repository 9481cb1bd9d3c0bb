// The phones that get a responder's alerts by Web Push, against a real Redis: the same phone
// subscribing again replaces its record, a responder may register only so many, a removal takes
// exactly the one asked for, and a push service's "gone" for an endpoint removes it from every
// responder holding it and from no one else.
#include "store/push_subscription_store.hpp"

#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <future>

namespace puente::store {
namespace {

using Saved = PushSubscriptionStore::Saved;

v1::PushSubscription phone(const std::string& id, const std::string& device) {
  v1::PushSubscription s;
  s.set_id(id);
  s.set_endpoint("https://fcm.googleapis.com/fcm/send/" + id);
  s.mutable_keys()->set_p256dh("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcx");
  s.mutable_keys()->set_auth("BTBZMqHH6r4Tts7J_aSIgg");
  s.set_device(device);
  return s;
}

class PushSubscriptionStoreTest : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  PushSubscriptionStore store{link.connection(), keys};

  Saved save(const std::string& responder, const v1::PushSubscription& s, std::size_t most = 3) {
    std::promise<Saved> got;
    store.save(responder, s, most, [&](Saved saved) { got.set_value(saved); });
    return got.get_future().get();
  }
  // Device names by subscription id order, as stored.
  std::vector<std::string> devices(const std::string& responder) {
    std::promise<std::vector<v1::PushSubscription>> got;
    store.list(responder, [&](Outcome outcome, std::vector<v1::PushSubscription> list) {
      EXPECT_EQ(outcome, Outcome::ok);
      got.set_value(std::move(list));
    });
    std::vector<std::string> names;
    for (const auto& s : got.get_future().get()) names.push_back(s.device());
    std::sort(names.begin(), names.end());
    return names;
  }
  Outcome remove(const std::string& responder, const std::string& id) {
    std::promise<Outcome> got;
    store.remove(responder, id, [&](Outcome outcome) { got.set_value(outcome); });
    return got.get_future().get();
  }
  std::pair<Outcome, std::size_t> forget(const std::string& id) {
    std::promise<std::pair<Outcome, std::size_t>> got;
    store.forget_endpoint(id, [&](Outcome o, std::size_t removed) { got.set_value({o, removed}); });
    return got.get_future().get();
  }
};

TEST_F(PushSubscriptionStoreTest, TheSamePhoneAgainReplacesItselfAndTheCapHoldsForNewOnes) {
  EXPECT_EQ(save("obs-maria", phone("psub-1", "old name"), 2), Saved::saved);
  EXPECT_EQ(save("obs-maria", phone("psub-1", "Maria's phone"), 2), Saved::replaced);
  EXPECT_EQ(save("obs-maria", phone("psub-2", "Maria's tablet"), 2), Saved::saved);
  EXPECT_EQ(save("obs-maria", phone("psub-3", "a third"), 2), Saved::too_many);
  // At the cap, a phone already registered may still renew itself.
  EXPECT_EQ(save("obs-maria", phone("psub-2", "Maria's tablet"), 2), Saved::replaced);
  EXPECT_EQ(devices("obs-maria"), (std::vector<std::string>{"Maria's phone", "Maria's tablet"}));
  EXPECT_TRUE(devices("obs-jose").empty());
}

TEST_F(PushSubscriptionStoreTest, ARemovalTakesOnlyTheOneAskedFor) {
  save("obs-maria", phone("psub-1", "phone"));
  save("obs-maria", phone("psub-2", "tablet"));
  save("obs-jose", phone("psub-1", "shared phone"));
  EXPECT_EQ(remove("obs-maria", "psub-1"), Outcome::ok);
  EXPECT_EQ(remove("obs-maria", "psub-1"), Outcome::not_found);
  EXPECT_EQ(devices("obs-maria"), (std::vector<std::string>{"tablet"}));
  EXPECT_EQ(devices("obs-jose"), (std::vector<std::string>{"shared phone"}));
  EXPECT_EQ(link.integer({"SISMEMBER", keys.push_endpoint("psub-1"), "obs-maria"}), 0);
  EXPECT_EQ(link.integer({"SISMEMBER", keys.push_endpoint("psub-1"), "obs-jose"}), 1);
}

TEST_F(PushSubscriptionStoreTest, AGoneEndpointLeavesEveryHolderAndNoOneElse) {
  save("obs-maria", phone("psub-gone", "shared phone"));
  save("obs-jose", phone("psub-gone", "shared phone"));
  save("obs-jose", phone("psub-kept", "own phone"));
  save("obs-ana", phone("psub-other", "phone"));

  EXPECT_EQ(forget("psub-gone"), (std::pair<Outcome, std::size_t>{Outcome::ok, 2}));
  EXPECT_TRUE(devices("obs-maria").empty());
  EXPECT_EQ(devices("obs-jose"), (std::vector<std::string>{"own phone"}));
  EXPECT_EQ(devices("obs-ana"), (std::vector<std::string>{"phone"}));
  EXPECT_EQ(link.integer({"EXISTS", keys.push_endpoint("psub-gone")}), 0);
  // A second "gone" for it finds nothing left.
  EXPECT_EQ(forget("psub-gone"), (std::pair<Outcome, std::size_t>{Outcome::ok, 0}));
}

}  // namespace
}  // namespace puente::store
