// A phone's id comes from its endpoint (the same phone again replaces its record; the id never
// shows the endpoint), and a phone is stale once not heard from for [push] stale_after_hours,
// counting its subscription as the first time it was heard from.
#include "core/push_subscription.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;

TEST(PushSubscription, TheIdComesFromTheEndpointAndShowsNothingOfIt) {
  const std::string endpoint = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHx";
  const auto id = push_subscription_id(endpoint);
  EXPECT_TRUE(valid_id("psub", id)) << id;
  EXPECT_EQ(push_subscription_id(endpoint), id) << "the same phone, the same id";
  EXPECT_NE(push_subscription_id(endpoint + "x"), id);
  EXPECT_EQ(id.find("fcm"), std::string::npos);
}

TEST(PushSubscription, StaleOnceNotHeardFromForTheConfiguredTime) {
  const auto created = Clock::now() - 100h;
  v1::PushSubscription phone;
  *phone.mutable_created_at() = to_timestamp(created);
  EXPECT_FALSE(push_phone_stale(phone, created + 47h, 48h));
  EXPECT_TRUE(push_phone_stale(phone, created + 48h, 48h));

  // Heard from later: counted from then.
  *phone.mutable_last_contact_at() = to_timestamp(created + 40h);
  EXPECT_EQ(last_heard_from(phone), to_time_point(phone.last_contact_at()));
  EXPECT_FALSE(push_phone_stale(phone, created + 87h, 48h));
  EXPECT_TRUE(push_phone_stale(phone, created + 88h, 48h));

  // A contact recorded before the subscription (a replaced record) does not make it older.
  *phone.mutable_last_contact_at() = to_timestamp(created - 10h);
  EXPECT_EQ(last_heard_from(phone), to_time_point(phone.created_at()));
}

TEST(PushSubscription, PhonesAreQuietSinceTheLastOneWasHeardFromOnlyWhenEveryOneIsStale) {
  const auto now = Clock::time_point(std::chrono::hours(500000));  // whole ms, as records keep
  const auto heard = [](Clock::time_point at) {
    v1::PushSubscription phone;
    *phone.mutable_created_at() = to_timestamp(at - 24h * 30);
    *phone.mutable_last_contact_at() = to_timestamp(at);
    return phone;
  };
  const auto three_days = heard(now - 72h), five_days = heard(now - 120h);
  EXPECT_EQ(phones_quiet_since({three_days, five_days}, now, 48h), now - 72h)
      << "every phone stale: since the last one was heard from";
  EXPECT_EQ(phones_quiet_since({five_days}, now, 48h), now - 120h);
  EXPECT_EQ(phones_quiet_since({three_days, heard(now - 1h)}, now, 48h), std::nullopt)
      << "one phone heard from lately reaches them";
  EXPECT_EQ(phones_quiet_since({}, now, 48h), std::nullopt) << "no phone: unreachable, not quiet";
  EXPECT_EQ(phones_quiet_since({heard(now - 48h)}, now, 48h), now - 48h) << "stale at 48 h";
}

}  // namespace
}  // namespace puente::core
