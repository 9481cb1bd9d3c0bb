#pragma once
// The network's ack capability key, as this node holds it: read from Redis once
// (store/ack_key_store.hpp; the first node ever to start with Web Push on makes it), then kept
// for the node's life. The push rung mints with it (the capability each alert's push carries),
// the routes verify with it (POST /v1/acks and POST /v1/push/shown with `Authorization:
// Capability`). Until Redis first answers there is no key: nothing is minted, and a capability
// gets 503 (retry) rather than a refusal it did not deserve, and /readyz says "degraded". It is
// tried again soon, then every second.

#include "core/ack_capability.hpp"
#include "store/ack_key_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace puente::app {

class NetworkAckKey : public std::enable_shared_from_this<NetworkAckKey> {
 public:
  NetworkAckKey(boost::asio::any_io_executor executor, store::AckKeyStore& store);

  void start();
  void stop();

  // The key, or null until Redis has answered. Safe from any thread.
  std::shared_ptr<const core::AckCapabilityKey> key() const;
  // Runs `use` once with the key: at once if it is loaded, else when it is (what mints with
  // it, the push dispatch, starts then). Safe from any thread.
  using Use = std::function<void(std::shared_ptr<const core::AckCapabilityKey>)>;
  void when_loaded(Use use);

 private:
  void load();

  boost::asio::steady_timer timer_;
  store::AckKeyStore& store_;
  mutable std::mutex mutex_;
  std::shared_ptr<const core::AckCapabilityKey> key_;
  std::vector<Use> waiting_;             // when_loaded before the key was
  std::chrono::milliseconds retry_{25};  // doubled before each wait, on the timer's strand
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::app
