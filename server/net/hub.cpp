#include "net/hub.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cassert>

namespace puente::net {

// One I/O thread's subscribers. Touched only by that thread, so it needs no lock.
struct Hub::Shard {
  Hub& hub;
  std::size_t index;
  boost::asio::io_context* thread;
  std::unordered_map<std::string, std::vector<std::weak_ptr<HubSubscriber>>> topics;
  // The subscribers of the frame being delivered, kept alive for the delivery; reused so that
  // a delivery allocates nothing once the vector has grown to the biggest topic.
  std::vector<std::shared_ptr<HubSubscriber>> targets;

  // Removes the subscribers of `topic` that `gone` says have left; returns how many.
  template <class Gone>
  std::size_t remove(const std::string& topic, Gone gone) {
    auto it = topics.find(topic);
    if (it == topics.end()) return 0;
    auto removed = std::erase_if(it->second, gone);
    if (it->second.empty()) topics.erase(it);
    if (removed) hub.count(topic, index, -static_cast<std::ptrdiff_t>(removed));
    return removed;
  }

  void deliver(const std::shared_ptr<const HubFrame>& frame, core::Counter* delivered) {
    // Collected first: a subscriber may (un)subscribe from inside deliver(). A subscriber
    // destroyed without unsubscribing is dropped here.
    remove(frame->topic, [this](const std::weak_ptr<HubSubscriber>& weak) {
      auto strong = weak.lock();
      if (!strong) return true;
      targets.push_back(std::move(strong));
      return false;
    });
    for (const auto& target : targets) target->deliver(frame);
    if (delivered) delivered->inc(targets.size());
    targets.clear();
  }
};

Hub::Hub(std::vector<boost::asio::io_context*> threads) {
  for (auto* thread : threads)
    shards_.push_back(std::make_unique<Shard>(Shard{*this, shards_.size(), thread, {}, {}}));
}

Hub::~Hub() = default;

Hub::Shard& Hub::shard_here() {
  for (auto& shard : shards_)
    if (shard->thread->get_executor().running_in_this_thread()) return *shard;
  assert(false && "Hub: (un)subscribe on the subscriber's own I/O thread");
  std::abort();
}

void Hub::count(const std::string& topic, std::size_t index, std::ptrdiff_t delta) {
  std::lock_guard lock(followers_mutex_);
  auto& per_shard = followers_[topic];
  per_shard.resize(shards_.size());
  per_shard[index] += delta;
  if (std::all_of(per_shard.begin(), per_shard.end(), [](std::size_t n) { return n == 0; }))
    followers_.erase(topic);
}

void Hub::subscribe(const std::string& topic, std::weak_ptr<HubSubscriber> subscriber) {
  auto& shard = shard_here();
  shard.topics[topic].push_back(std::move(subscriber));
  count(topic, shard.index, 1);
}

void Hub::unsubscribe(const std::string& topic, const HubSubscriber* subscriber) {
  shard_here().remove(topic, [subscriber](const std::weak_ptr<HubSubscriber>& weak) {
    auto strong = weak.lock();
    return !strong || strong.get() == subscriber;
  });
}

void Hub::publish(std::shared_ptr<const HubFrame> frame, core::Counter* delivered) {
  std::vector<Shard*> to;
  {
    std::lock_guard lock(followers_mutex_);
    auto it = followers_.find(frame->topic);
    if (it == followers_.end()) return;
    for (std::size_t i = 0; i < shards_.size(); ++i)
      if (it->second[i] > 0) to.push_back(shards_[i].get());
  }
  // Always a post, even to the publishing thread itself: running it inline there would let
  // this frame overtake frames published earlier and still queued for that thread.
  for (auto* shard : to)
    boost::asio::post(*shard->thread,
                      [shard, frame, delivered] { shard->deliver(frame, delivered); });
}

bool Hub::followed(const std::string& topic) const {
  std::lock_guard lock(followers_mutex_);
  return followers_.contains(topic);
}

std::size_t Hub::subscriber_count_here(const std::string& topic) {
  auto& topics = shard_here().topics;
  auto it = topics.find(topic);
  return it == topics.end() ? 0 : it->second.size();
}

}  // namespace puente::net
