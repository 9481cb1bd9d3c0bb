#pragma once
// What a Subscriber delivered, filled on its strand and read from the test thread.

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace puente::redis::testing {

class Inbox {
 public:
  void add(const std::string& channel, const std::string& payload) {
    std::lock_guard lock(mutex_);
    messages_.emplace_back(channel, payload);
  }
  std::vector<std::pair<std::string, std::string>> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  bool has(const std::string& channel, const std::string& payload) {
    std::lock_guard lock(mutex_);
    for (const auto& message : messages_) {
      if (message.first == channel && message.second == payload) {
        return true;
      }
    }
    return false;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> messages_;
};

}  // namespace puente::redis::testing
