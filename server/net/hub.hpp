#pragma once
// The node's local fan-out: topic (a neighborhood slug, or the board) -> the local sockets that
// want it. An alert arrives once per node from Redis; the hub serializes nothing itself: the
// frame is built once and shared (hub_frame.hpp: each form of it encoded by its first reader),
// and each subscriber decides whether it is for it (role, replay in progress, already seen) and
// queues the same buffer.
//
// The subscribers are kept per I/O thread (io_threads.hpp), in a shard that only its thread
// touches: publish() posts the frame once to each thread, which then hands it to each of its
// own subscribers inline, with no lock, no strand and no wake-up per delivery. Hence the rule:
// subscribe and unsubscribe on the subscriber's own thread (the one its socket lives on), and
// deliver() is called there too. Frames reach a thread in the order they were published, and
// each socket lives on one thread: per-socket order is publish order.
//
// Besides the shards, one small count under a lock says how many subscribers each topic has on
// each thread (changed when a socket comes or goes, read once per published frame): a frame
// goes only to threads where someone follows its topic, and followed() lets the publisher skip
// building a frame nobody here wants (an intake flood into neighborhoods no local socket
// follows built a frame per alert for nothing: its recipients sorted, and two JSON and two
// protobuf encodings before forms were encoded by their first reader).

#include "core/metrics.hpp"
#include "net/hub_frame.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace puente::net {

class HubSubscriber {
 public:
  virtual ~HubSubscriber() = default;
  // Called on the subscriber's own thread; must not block.
  virtual void deliver(const std::shared_ptr<const HubFrame>& frame) = 0;
};

class Hub {
 public:
  // One shard per I/O thread; `threads` are their io_contexts, each run by exactly one thread.
  explicit Hub(std::vector<boost::asio::io_context*> threads);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // On the subscriber's own thread (one of `threads`, running); crashes loudly elsewhere.
  void subscribe(const std::string& topic, std::weak_ptr<HubSubscriber> subscriber);
  void unsubscribe(const std::string& topic, const HubSubscriber* subscriber);
  // From any thread: hands the frame to every live subscriber of its topic, each on its own
  // thread, soon after (one post per thread). `delivered`, if given, counts those hand-overs.
  void publish(std::shared_ptr<const HubFrame> frame, core::Counter* delivered = nullptr);
  // On a subscriber's thread: how many subscribers of `topic` live on this thread.
  std::size_t subscriber_count_here(const std::string& topic);
  // From any thread: does a local subscriber follow `topic` now? One that subscribes after
  // this answers no would not have had the frame anyway (it was published before it came);
  // what it asks to catch up on comes from history.
  bool followed(const std::string& topic) const;

 private:
  struct Shard;
  Shard& shard_here();
  // Subscribers of `topic` on shard `index` changed by `delta`.
  void count(const std::string& topic, std::size_t index, std::ptrdiff_t delta);

  std::vector<std::unique_ptr<Shard>> shards_;
  mutable std::mutex followers_mutex_;
  std::unordered_map<std::string, std::vector<std::size_t>> followers_;  // topic -> count per shard
};

}  // namespace puente::net
