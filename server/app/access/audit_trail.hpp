#pragma once
// The node's side of the audit log (store/audit_store.hpp): what it records, in order.
//
// record() never blocks and never fails its caller: the entry is stamped now and queued, and
// the node appends one entry at a time, chained to the log's head as the node last saw it; when
// another node appended first, the script says so with the real head and the entry is chained
// again. While Redis is away entries wait (at most `max_waiting`; beyond, they are counted in
// the next entry and lost with a log line) and go out once it is back.
//
// Failed sign-ins are not recorded one by one: they are summed per client address over a window
// ([limits] failed_sign_in_audit_seconds, a minute by default) that opens with the first one,
// and when it ends each address gets one "sign_in.failed" entry naming the address (the
// subject), the count and why (core/sign_in_failures.hpp); at most 11 entries a window, whatever
// comes. A window still open when the node shuts down is recorded then (flush). Bad tokens sent
// by the thousand cannot grow the never-purged log, and a lone failure still shows.

#include "core/metrics.hpp"
#include "core/roster.hpp"
#include "core/sign_in_failures.hpp"
#include "core/token_registry.hpp"
#include "puente/v1/puente.pb.h"
#include "store/audit_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace puente::app {

class AuditTrail : public std::enable_shared_from_this<AuditTrail> {
 public:
  static constexpr std::size_t max_waiting = 10000;
  static constexpr std::size_t sign_in_failure_addresses = 10;  // named per window; the rest summed

  // `sign_in_window`: how long failed sign-ins are summed before they are recorded. `metrics`:
  // entries waiting, lost, and writes Redis did not take (for the monitoring's alerts).
  AuditTrail(boost::asio::any_io_executor executor, store::AuditStore& store, std::string node_id,
             std::chrono::seconds sign_in_window, core::Metrics& metrics);

  // Thread-safe. `actor`: a responder id. No secret may go in any field.
  void record(std::string actor, std::string action, std::string subject, std::string detail = {});
  // A refused token from `peer_address`: where ("http", "socket") and why (unknown, expired,
  // revoked: more than the client is told); never the token, only the id of a known one.
  void failed_sign_in(const core::SignIn& sign_in, std::string_view where,
                      const std::string& peer_address);
  // Records "roster.changed" if the roster file's SHA-256 differs from the one last recorded.
  void note_roster(std::string sha256, std::size_t responders);

  // Records the failed sign-ins summed so far without waiting for their window to end: at
  // shutdown, before the store goes.
  void flush();
  void stop();

 private:
  void queue(v1::AuditEntry entry);
  void pump();
  void append_next();
  // Runs `step` on the strand a second from now (unless stopped). Call on the strand.
  void retry_later(std::function<void()> step);
  // Records the window's failed sign-ins. On the strand.
  void close_sign_in_window();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  store::AuditStore& store_;
  std::string node_id_;
  core::Metrics& metrics_;
  // On the strand:
  std::deque<v1::AuditEntry> waiting_;
  std::optional<store::AuditHead> head_;  // unknown until read once
  bool appending_ = false;
  bool stopped_ = false;
  std::size_t lost_ = 0;
  std::chrono::seconds sign_in_window_;
  core::SignInFailureTally sign_in_failures_{sign_in_failure_addresses};
  boost::asio::steady_timer sign_in_timer_;  // the window's end, while one is open
  bool sign_in_window_open_ = false;
  std::uint64_t sign_in_windows_ = 0;  // windows opened, the last one's number
};

}  // namespace puente::app
