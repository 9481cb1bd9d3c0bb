#pragma once
// Sends one Web Push: checks the endpoint (endpoint_guard.hpp), encrypts the payload for the
// subscription (RFC 8291), signs for the push service's origin (RFC 8292, cached per origin),
// and runs the HTTPS exchange (push_exchange.hpp), which applies the address guard after DNS.
// The caller gets a typed PushResult and decides what follows (retry, remove the subscription).
//
// Nothing here logs the endpoint URL, a key or the JWT: an endpoint is a capability (whoever
// holds it can push to that phone). A log line names at most the push service's host.

#include "channels/push/message_encryption.hpp"
#include "channels/push/push_connection_pool.hpp"
#include "channels/push/push_request.hpp"
#include "channels/push/push_result.hpp"
#include "channels/push/vapid_signer.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::push {

struct PushSenderOptions {
  // Hosts a push may go to (endpoint_guard.hpp for the rule syntax).
  std::vector<std::string> allowed_hosts = default_allowed_push_hosts();
  // Lets a push reach loopback and private addresses: only for a push service of one's own on
  // a private network, and for tests.
  bool allow_private_addresses = false;
  // The CA certificates (PEM) a push service's certificate must chain to; empty: the system's
  // trust store.
  std::filesystem::path ca_file;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds response_timeout{std::chrono::seconds(10)};
  // Idle connections kept open per push service origin, and for how long
  // (push_connection_pool.hpp).
  std::size_t max_idle_connections_per_origin = 16;
  std::chrono::seconds idle_connection_timeout{30};
};

// A subscription as the browser's PushSubscription gives it (keys base64url-decoded).
struct PushSubscription {
  std::string endpoint;  // https://...: a capability, never logged
  SubscriptionKeys keys;
};

class PushSender {
 public:
  using Done = std::function<void(PushResult)>;

  // Throws std::runtime_error if the CA file cannot be loaded.
  PushSender(boost::asio::any_io_executor executor, std::shared_ptr<VapidSigner> signer,
             PushSenderOptions options);

  // Sends `payload` (plaintext, at most max_payload_bytes) to the subscription; `done` gets the
  // result, on the executor, exactly once. A refusal before any I/O (a guarded endpoint, bad
  // keys, a payload too long, a bad topic) completes as `blocked` or `refused` without a
  // connection. The encryption runs on the calling thread. Thread-safe.
  void send(const PushSubscription& subscription, std::string_view payload,
            const PushOptions& options, Done done);

 private:
  void complete_now(PushResult result, Done done);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<VapidSigner> signer_;
  PushSenderOptions options_;
  std::shared_ptr<PushConnectionPool> pool_;
};

}  // namespace puente::push
