#include "net/hub.hpp"

#include <algorithm>

namespace puente::net {

bool HubFrame::for_responder(const std::string& id) const {
  return std::binary_search(recipients.begin(), recipients.end(), id);
}

void Hub::subscribe(const std::string& topic, std::weak_ptr<HubSubscriber> subscriber) {
  std::lock_guard lock(mutex_);
  topics_[topic].push_back(std::move(subscriber));
}

void Hub::unsubscribe(const std::string& topic, const HubSubscriber* subscriber) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  std::erase_if(it->second, [subscriber](const std::weak_ptr<HubSubscriber>& weak) {
    auto strong = weak.lock();
    return !strong || strong.get() == subscriber;
  });
  if (it->second.empty()) topics_.erase(it);
}

std::size_t Hub::publish(const std::shared_ptr<const HubFrame>& frame) {
  std::vector<std::shared_ptr<HubSubscriber>> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(frame->topic);
    if (it == topics_.end()) return 0;
    targets.reserve(it->second.size());
    for (const auto& weak : it->second)
      if (auto strong = weak.lock()) targets.push_back(std::move(strong));
  }
  // Deliver outside the lock: a subscriber may (un)subscribe from inside deliver().
  for (const auto& target : targets) target->deliver(frame);
  return targets.size();
}

std::size_t Hub::subscriber_count(const std::string& topic) const {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second.size();
}

}  // namespace puente::net
