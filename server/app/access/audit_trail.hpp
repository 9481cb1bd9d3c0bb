#pragma once
// The node's side of the audit log (store/audit_store.hpp): what it records, in order.
//
// record() never fails its caller and never loses what it takes: the entry is stamped now and
// written to the node's audit journal (store/journal.hpp, a file of its own beside the reports'
// journal, fdatasync'ed) before record() returns, so an action answered after record() has its
// entry on disk. The journal is the queue: the node appends its entries to Redis one at a time,
// oldest first, chained to the log's head as the node last saw it (when another node appended
// first, the script says so with the real head and the entry is chained again), and
// acknowledges each in the journal once Redis holds it. While Redis is away entries wait there,
// whatever their number; a node killed (-9) or stopped replays them, in order, at its next start.
// An entry appended to Redis just before a crash, and so not yet acknowledged, is not appended
// twice: the script remembers each node's last appended entry by its key (the SHA-256 of the
// journaled record and its journal sequence) and answers "duplicate".
//
// Should the disk refuse an entry (full, failing), it is kept in memory and still goes to
// Redis after those journaled before it; it is counted (puente_audit_lost_total: would be lost
// if the node died before Redis took it) and logged.
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
#include "store/journal.hpp"

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
  static constexpr std::size_t sign_in_failure_addresses = 10;  // named per window; the rest summed

  // `journal`: the node's audit journal (what an earlier run left in it goes out first).
  // `sign_in_window`: how long failed sign-ins are summed before they are recorded. `metrics`:
  // entries waiting, not journaled, and writes Redis did not take (for the monitoring's alerts).
  AuditTrail(boost::asio::any_io_executor executor, store::AuditStore& store,
             std::unique_ptr<store::Journal> journal, std::string node_id,
             std::chrono::seconds sign_in_window, core::Metrics& metrics);

  // Thread-safe; returns once the entry is journaled (or, the disk failing, kept in memory).
  // `actor`: a responder id. No secret may go in any field.
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
  // Starts appending what the journal holds (an earlier run's entries first).
  void start();
  void stop();

 private:
  // The oldest entry not yet in Redis, with its key and journal sequence (0: kept in memory);
  // false if none waits. On the strand.
  struct Next {
    v1::AuditEntry entry;
    std::string key;
    std::uint64_t sequence = 0;
  };
  bool next_waiting(Next& next);
  void pump();
  void append_next(Next next);
  // Redis holds `next`: forget it. On the strand.
  void appended(const Next& next);
  // Runs `step` on the strand a second from now (unless stopped). Call on the strand.
  void retry_later(std::function<void()> step);
  // Records the window's failed sign-ins. On the strand.
  void close_sign_in_window();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  store::AuditStore& store_;
  std::string node_id_;
  core::Metrics& metrics_;
  std::unique_ptr<store::Journal> journal_;  // thread-safe
  // On the strand:
  std::deque<v1::AuditEntry> unjournaled_;  // the disk refused them; after the journal's
  std::uint64_t unjournaled_taken_ = 0;     // of them, in Redis
  std::optional<store::AuditHead> head_;    // unknown until read once
  bool appending_ = false;
  bool stopped_ = false;
  bool started_ = false;
  std::chrono::seconds sign_in_window_;
  core::SignInFailureTally sign_in_failures_{sign_in_failure_addresses};
  boost::asio::steady_timer sign_in_timer_;  // the window's end, while one is open
  bool sign_in_window_open_ = false;
  std::uint64_t sign_in_windows_ = 0;  // windows opened, the last one's number
};

}  // namespace puente::app
