#include "net/hub.hpp"

#include <gtest/gtest.h>

namespace puente::net {
namespace {

struct Recorder : HubSubscriber {
  std::vector<std::shared_ptr<const HubFrame>> got;
  void deliver(const std::shared_ptr<const HubFrame>& frame) override { got.push_back(frame); }
};

std::shared_ptr<const HubFrame> frame(std::string topic) {
  auto f = std::make_shared<HubFrame>();
  f->topic = std::move(topic);
  f->encoded.json = std::make_shared<const std::string>("{}");
  return f;
}

TEST(Hub, DeliversTheSameBufferToEverySubscriberOfTheTopicOnly) {
  Hub hub;
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>(), c = std::make_shared<Recorder>();
  hub.subscribe("boyle-heights", a);
  hub.subscribe("boyle-heights", b);
  hub.subscribe("downtown", c);
  auto f = frame("boyle-heights");
  EXPECT_EQ(hub.publish(f), 2u);
  ASSERT_EQ(a->got.size(), 1u);
  ASSERT_EQ(b->got.size(), 1u);
  EXPECT_EQ(a->got[0]->encoded.json.get(), b->got[0]->encoded.json.get());  // one buffer, shared
  EXPECT_TRUE(c->got.empty());
}

TEST(Hub, UnsubscribedAndDestroyedSubscribersGetNothing) {
  Hub hub;
  auto a = std::make_shared<Recorder>();
  auto gone = std::make_shared<Recorder>();
  hub.subscribe("downtown", a);
  hub.subscribe("downtown", gone);
  gone.reset();
  EXPECT_EQ(hub.publish(frame("downtown")), 1u);
  hub.unsubscribe("downtown", a.get());
  EXPECT_EQ(hub.publish(frame("downtown")), 0u);
  EXPECT_EQ(hub.subscriber_count("downtown"), 0u);
}

TEST(HubFrame, NamesItsRecipients) {
  HubFrame f;
  EXPECT_FALSE(f.for_responder("anyone"));
  f.recipients = {"att-bh", "obs-bh"};
  EXPECT_TRUE(f.for_responder("obs-bh"));
  EXPECT_FALSE(f.for_responder("vol-bh"));
}

}  // namespace
}  // namespace puente::net
