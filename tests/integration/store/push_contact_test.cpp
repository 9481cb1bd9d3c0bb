// A phone's time fields change by read-modify-write without losing a change: heard_from keeps
// the latest contact, a phone removed meanwhile is not brought back, and of many updates at
// once every one answered ok is in the record (the others say conflict). The network's ack key:
// the first one written stays, whoever asks next.
#include "store/ack_key_store.hpp"
#include "store/push_subscription_store.hpp"

#include "core/clock.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace puente::store {
namespace {

using namespace std::chrono_literals;

class PushContactTest : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  PushSubscriptionStore store{link.connection(), keys};

  void add(const std::string& responder, const std::string& id) {
    v1::PushSubscription phone;
    phone.set_id(id);
    phone.set_endpoint("https://fcm.googleapis.com/fcm/send/" + id);
    phone.set_device("phone");
    std::promise<void> done;
    store.save(responder, phone, 5, [&](PushSubscriptionStore::Saved) { done.set_value(); });
    done.get_future().get();
  }
  Outcome heard_from(const std::string& responder, const std::string& id,
                     std::chrono::system_clock::time_point at) {
    std::promise<Outcome> got;
    store.heard_from(responder, id, at, [&](Outcome outcome) { got.set_value(outcome); });
    return got.get_future().get();
  }
  std::optional<v1::PushSubscription> stored(const std::string& responder) {
    std::promise<std::vector<v1::PushSubscription>> got;
    store.list(responder, [&](Outcome, std::vector<v1::PushSubscription> list) {
      got.set_value(std::move(list));
    });
    auto list = got.get_future().get();
    if (list.empty()) return std::nullopt;
    return list.front();
  }
};

TEST_F(PushContactTest, HeardFromKeepsTheLatestContact) {
  add("obs-maria", "psub-1");
  const auto t = core::Clock::now();
  EXPECT_EQ(heard_from("obs-maria", "psub-1", t), Outcome::ok);
  EXPECT_EQ(core::to_ms(stored("obs-maria")->last_contact_at()), core::to_ms(t));
  EXPECT_EQ(heard_from("obs-maria", "psub-1", t - 1h), Outcome::ok);
  EXPECT_EQ(core::to_ms(stored("obs-maria")->last_contact_at()), core::to_ms(t))
      << "an earlier contact reported late changes nothing";
  EXPECT_EQ(heard_from("obs-maria", "psub-1", t + 1s), Outcome::ok);
  EXPECT_EQ(core::to_ms(stored("obs-maria")->last_contact_at()), core::to_ms(t + 1s));
  EXPECT_EQ(stored("obs-maria")->device(), "phone") << "the rest of the record stays";
}

TEST_F(PushContactTest, APhoneThatIsNotThereStaysAway) {
  EXPECT_EQ(heard_from("obs-maria", "psub-9", core::Clock::now()), Outcome::not_found);
  EXPECT_FALSE(stored("obs-maria"));
  EXPECT_EQ(link.integer({"EXISTS", keys.push_subscriptions("obs-maria")}), 0);
}

TEST_F(PushContactTest, OfManyUpdatesAtOnceEveryOneAnsweredOkIsKept) {
  add("obs-maria", "psub-1");
  constexpr int updates = 20;
  std::atomic<int> ok = 0, conflict = 0, answered = 0;
  std::promise<void> all;
  for (int i = 0; i < updates; ++i)
    store.update(
        "obs-maria", "psub-1",
        [](v1::PushSubscription& phone) {
          phone.mutable_nudged_at()->set_seconds(phone.nudged_at().seconds() + 1);
        },
        [&](Outcome outcome) {
          if (outcome == Outcome::ok) ++ok;
          if (outcome == Outcome::conflict) ++conflict;
          if (++answered == updates) all.set_value();
        });
  all.get_future().get();
  EXPECT_EQ(ok + conflict, updates);
  EXPECT_GT(ok, 0);
  EXPECT_EQ(stored("obs-maria")->nudged_at().seconds(), ok.load()) << "no update lost";
}

TEST_F(PushContactTest, TheFirstAckKeyWrittenStays) {
  AckKeyStore keys_store{link.connection(), keys};
  auto load = [&](std::string fresh) {
    std::promise<std::pair<Outcome, std::string>> got;
    keys_store.load_or_create(std::move(fresh), [&](Outcome outcome, std::string key) {
      got.set_value({outcome, std::move(key)});
    });
    return got.get_future().get();
  };
  const std::string first(32, '\x01'), second(32, '\x02');
  EXPECT_EQ(load(first), std::make_pair(Outcome::ok, first));
  EXPECT_EQ(load(second), std::make_pair(Outcome::ok, first));
  EXPECT_EQ(link.command({"GET", "test:ack_key"}).str, first);
}

}  // namespace
}  // namespace puente::store
