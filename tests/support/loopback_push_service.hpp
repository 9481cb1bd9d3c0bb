#pragma once
// The tests' own Web Push service (tests/push_service/push_service.mjs, Node.js) started for a
// test or the bench: HTTPS on a free loopback port with a certificate made for it, subscriptions
// with keys of its own, an independent decryption (http_ece) and VAPID check of every push, and
// an admin port to say how to answer and to read what it received.
//
//   puente::test::LoopbackPushService service;
//   auto subscription = service.subscribe();        // endpoint https://localhost:<port>/push/<id>
//   service.answer_with(subscription.id, 429, {{"Retry-After", "7"}});
//   auto pushes = service.received();               // JSON, one object per push (push_service.mjs)
//
// Needs node and `npm ci` in tests/push_service (tests/run.sh does it).

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace puente::test {

struct LoopbackSubscription {
  std::string id;
  std::string endpoint;  // https://localhost:<port>/push/<id>
  std::string p256dh;    // base64url, as a browser's PushSubscription.toJSON() gives it
  std::string auth;      // base64url
};

// A received push's plaintext, as the service decrypted it (its "payload", standard base64);
// "<not base64>" if it does not decode.
std::string push_plaintext(const boost::json::value& push);

class LoopbackPushService {
 public:
  // Throws std::runtime_error (with the service's log) if it does not start within 30 s.
  LoopbackPushService();

  // What this machine lacks to run it ("" if nothing): node, http_ece installed.
  static std::string missing_tools();

  // The certificate it serves (for localhost and 127.0.0.1): the CA file a sender trusts.
  const std::filesystem::path& certificate() const { return certificate_; }
  // https://localhost:<push port>: the VAPID audience of its endpoints.
  std::string origin() const { return "https://localhost:" + std::to_string(push_port_); }
  // http://127.0.0.1:<admin port>: its admin routes (push_service.mjs), for a test in Node.js.
  std::string admin_origin() const { return "http://127.0.0.1:" + std::to_string(admin_port_); }

  LoopbackSubscription subscribe();
  // The answer to the subscription's next pushes: `status` and extra headers, `delay` after
  // each push arrived (a slow push service; the push is in received() from its arrival).
  void answer_with(const std::string& id, int status,
                   const std::map<std::string, std::string>& headers = {},
                   std::chrono::milliseconds delay = {});
  // Every push received, in order (fields in push_service.mjs).
  boost::json::array received();
  // {received, decrypted, failed}.
  boost::json::object summary();
  void forget_received();
  // Closes every open push connection (a service dropping idle keep-alive connections).
  void close_connections();
  std::string log() const;
  // Its process (the bench reads its CPU time).
  pid_t pid() const { return process_ ? process_->pid() : -1; }

 private:
  boost::json::value admin(const std::string& method, const std::string& target,
                           const std::string& body = {});

  TempDir dir_;
  std::filesystem::path certificate_;
  std::optional<ChildProcess> process_;
  unsigned short push_port_ = 0, admin_port_ = 0;
};

}  // namespace puente::test
