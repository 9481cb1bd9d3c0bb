#include "net/hub.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

namespace puente::net {
namespace {

namespace asio = boost::asio;

struct Recorder : HubSubscriber {
  explicit Recorder(asio::io_context& own) : own(own) {}
  asio::io_context& own;
  std::vector<std::shared_ptr<const HubFrame>> got;
  bool on_own_thread = true;
  void deliver(const std::shared_ptr<const HubFrame>& frame) override {
    on_own_thread &= own.get_executor().running_in_this_thread();
    got.push_back(frame);
  }
};

// A frame whose every form reads "{}".
struct EmptyFrame : HubFrame {
  std::string encode(std::size_t, bool) const override { return "{}"; }
};

std::shared_ptr<const HubFrame> frame(std::string topic, std::uint64_t offset = 0) {
  auto f = std::make_shared<EmptyFrame>();
  f->topic = std::move(topic);
  f->offset = {offset, 0};
  return f;
}

// Runs `step` as a handler of `thread`, as a socket living there would, and what it queued.
template <class Step>
std::size_t on(asio::io_context& thread, Step step) {
  asio::post(thread, step);
  thread.restart();
  return thread.poll();
}

// Runs what is queued on `thread`; returns how many handlers that was.
std::size_t drain(asio::io_context& thread) {
  thread.restart();
  return thread.poll();
}

TEST(Hub, DeliversTheSameBufferToEverySubscriberOfTheTopicOnly) {
  asio::io_context thread;
  Hub hub({&thread});
  auto a = std::make_shared<Recorder>(thread), b = std::make_shared<Recorder>(thread),
       c = std::make_shared<Recorder>(thread);
  on(thread, [&] {
    hub.subscribe("boyle-heights", a);
    hub.subscribe("boyle-heights", b);
    hub.subscribe("downtown", c);
  });
  core::Counter delivered;
  hub.publish(frame("boyle-heights"), &delivered);
  EXPECT_TRUE(a->got.empty()) << "publish only queues; the thread delivers";
  drain(thread);
  ASSERT_EQ(a->got.size(), 1u);
  ASSERT_EQ(b->got.size(), 1u);
  EXPECT_EQ(a->got[0]->bytes(0, false).get(), b->got[0]->bytes(0, false).get());  // one buffer
  EXPECT_TRUE(c->got.empty());
  EXPECT_EQ(delivered.value(), 2u);
}

TEST(Hub, HandsEachFrameToEachThreadOnceAndDeliversThereToItsOwnSubscribers) {
  asio::io_context first, second;
  Hub hub({&first, &second});
  std::vector<std::shared_ptr<Recorder>> on_first, on_second;
  for (int i = 0; i < 3; ++i) on_first.push_back(std::make_shared<Recorder>(first));
  for (int i = 0; i < 2; ++i) on_second.push_back(std::make_shared<Recorder>(second));
  on(first, [&] {
    for (auto& r : on_first) hub.subscribe("pico-union", r);
  });
  on(second, [&] {
    for (auto& r : on_second) hub.subscribe("pico-union", r);
  });

  hub.publish(frame("pico-union"));
  // One queued handler per thread, not one per subscriber.
  EXPECT_EQ(drain(first), 1u);
  EXPECT_EQ(drain(second), 1u);
  for (auto* group : {&on_first, &on_second})
    for (auto& r : *group) {
      EXPECT_EQ(r->got.size(), 1u);
      EXPECT_TRUE(r->on_own_thread);
    }
  std::size_t here = 0;
  on(second, [&] { here = hub.subscriber_count_here("pico-union"); });
  EXPECT_EQ(here, 2u);
}

TEST(Hub, KeepsPublishOrderPerSubscriber) {
  asio::io_context thread;
  Hub hub({&thread});
  auto a = std::make_shared<Recorder>(thread);
  on(thread, [&] { hub.subscribe("westlake", a); });
  // Published from the subscriber's own thread too: a frame is never delivered ahead of one
  // published before it.
  on(thread, [&] {
    hub.publish(frame("westlake", 1));
    hub.publish(frame("westlake", 2));
  });
  hub.publish(frame("westlake", 3));
  drain(thread);
  ASSERT_EQ(a->got.size(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i)
    EXPECT_EQ(a->got[i]->offset, (core::StreamOffset{i + 1, 0}));
}

TEST(Hub, UnsubscribedAndDestroyedSubscribersGetNothing) {
  asio::io_context thread;
  Hub hub({&thread});
  auto a = std::make_shared<Recorder>(thread);
  auto gone = std::make_shared<Recorder>(thread);
  on(thread, [&] {
    hub.subscribe("downtown", a);
    hub.subscribe("downtown", gone);
  });
  gone.reset();
  core::Counter delivered;
  hub.publish(frame("downtown"), &delivered);
  drain(thread);
  EXPECT_EQ(delivered.value(), 1u);
  on(thread, [&] { hub.unsubscribe("downtown", a.get()); });
  hub.publish(frame("downtown"), &delivered);
  drain(thread);
  EXPECT_EQ(delivered.value(), 1u);
  EXPECT_EQ(a->got.size(), 1u);
  std::size_t left = 1;
  on(thread, [&] { left = hub.subscriber_count_here("downtown"); });
  EXPECT_EQ(left, 0u);
}

// A socket closed by what it was handed (its queue overflowed) leaves the topic during the
// delivery; the others still get the frame.
struct LeavesOnDelivery : Recorder {
  LeavesOnDelivery(asio::io_context& own, Hub& hub) : Recorder(own), hub(hub) {}
  Hub& hub;
  void deliver(const std::shared_ptr<const HubFrame>& frame) override {
    Recorder::deliver(frame);
    hub.unsubscribe(frame->topic, this);
  }
};

TEST(Hub, ASubscriberMayLeaveDuringADelivery) {
  asio::io_context thread;
  Hub hub({&thread});
  auto leaving = std::make_shared<LeavesOnDelivery>(thread, hub);
  auto staying = std::make_shared<Recorder>(thread);
  on(thread, [&] {
    hub.subscribe("boyle-heights", leaving);
    hub.subscribe("boyle-heights", staying);
  });
  hub.publish(frame("boyle-heights"));
  hub.publish(frame("boyle-heights"));
  drain(thread);
  EXPECT_EQ(leaving->got.size(), 1u);
  EXPECT_EQ(staying->got.size(), 2u);
}

TEST(Hub, KnowsWhichTopicsAreFollowedAndPostsOnlyToThreadsThatFollowThem) {
  asio::io_context first, second;
  Hub hub({&first, &second});
  EXPECT_FALSE(hub.followed("downtown"));
  auto a = std::make_shared<Recorder>(second);
  on(second, [&] { hub.subscribe("downtown", a); });
  EXPECT_TRUE(hub.followed("downtown"));
  EXPECT_FALSE(hub.followed("westlake"));

  hub.publish(frame("downtown"));
  hub.publish(frame("westlake"));
  EXPECT_EQ(drain(first), 0u);   // nobody there follows downtown
  EXPECT_EQ(drain(second), 1u);  // downtown only
  EXPECT_EQ(a->got.size(), 1u);

  // A subscriber destroyed without unsubscribing stops counting once a delivery finds it gone.
  a.reset();
  hub.publish(frame("downtown"));
  drain(second);
  EXPECT_FALSE(hub.followed("downtown"));
}

TEST(HubFrame, NamesItsRecipients) {
  EmptyFrame f;
  EXPECT_FALSE(f.for_responder("anyone"));
  f.set_recipients({"obs-bh", "att-bh"});
  EXPECT_TRUE(f.for_responder("obs-bh"));
  EXPECT_FALSE(f.for_responder("vol-bh"));
}

}  // namespace
}  // namespace puente::net
