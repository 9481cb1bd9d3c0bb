#pragma once
// The node's local fan-out: topic (a neighborhood slug, or the board) -> the local sockets that
// want it. An alert arrives once per node from Redis; the hub serializes nothing itself: the
// frame is built once, immutable and shared, and each subscriber decides whether it is for it
// (role, replay in progress, already seen) and queues the same buffer.

#include "core/stream_offset.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace puente::net {

struct HubFrame {
  struct Encoded {
    std::shared_ptr<const std::string> json;    // the ServerMessage as JSON text
    std::shared_ptr<const std::string> binary;  // the ServerMessage as protobuf
  };

  std::string topic;
  core::StreamOffset offset;            // position in the topic's history; {0,0} if none
  std::vector<std::string> recipients;  // responder ids it is for, sorted
  std::string incident_id, alert_id;    // what a delivery record names
  Encoded encoded;                      // in the default language
  std::map<std::string, Encoded, std::less<>> localized;  // by language tag

  const Encoded& in_language(std::string_view language) const {
    auto it = localized.find(language);
    return it == localized.end() ? encoded : it->second;
  }
  bool for_responder(const std::string& id) const;
};

class HubSubscriber {
 public:
  virtual ~HubSubscriber() = default;
  // Called from the thread that published; must not block.
  virtual void deliver(const std::shared_ptr<const HubFrame>& frame) = 0;
};

class Hub {
 public:
  void subscribe(const std::string& topic, std::weak_ptr<HubSubscriber> subscriber);
  void unsubscribe(const std::string& topic, const HubSubscriber* subscriber);
  // Hands the frame to every live subscriber of its topic; returns how many.
  std::size_t publish(const std::shared_ptr<const HubFrame>& frame);
  std::size_t subscriber_count(const std::string& topic) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<HubSubscriber>>> topics_;
};

}  // namespace puente::net
