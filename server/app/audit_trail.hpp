#pragma once
// The node's side of the audit log (store/audit_store.hpp): what it records, in order.
//
// record() never blocks and never fails its caller: the entry is stamped now and queued, and
// the node appends one entry at a time, chained to the log's head as the node last saw it; when
// another node appended first, the script says so with the real head and the entry is chained
// again. While Redis is away entries wait (at most `max_waiting`; beyond, they are counted in
// the next entry and lost with a log line) and go out once it is back. Failed sign-ins are
// recorded one by one up to a few a second; a flood beyond that is summed up in the next one.

#include "core/roster.hpp"
#include "core/token_registry.hpp"
#include "puente/v1/puente.pb.h"
#include "store/audit_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace puente::app {

class AuditTrail : public std::enable_shared_from_this<AuditTrail> {
 public:
  static constexpr std::size_t max_waiting = 10000;
  static constexpr unsigned sign_in_failures_per_second = 10;

  AuditTrail(boost::asio::any_io_executor executor, store::AuditStore& store, std::string node_id);

  // Thread-safe. `actor`: a responder id. No secret may go in any field.
  void record(std::string actor, std::string action, std::string subject, std::string detail = {});
  // A refused token: where ("http", "socket") and why (the refusal code); never the token.
  void failed_sign_in(const core::SignIn& sign_in, std::string_view where, std::string_view code);
  // Records "roster.changed" if the roster file's SHA-256 differs from the one last recorded.
  void note_roster(std::string sha256, std::size_t responders);

  void stop();

 private:
  void queue(v1::AuditEntry entry);
  void pump();
  void append_next();
  // Runs `step` on the strand a second from now (unless stopped). Call on the strand.
  void retry_later(std::function<void()> step);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  store::AuditStore& store_;
  std::string node_id_;
  // On the strand:
  std::deque<v1::AuditEntry> waiting_;
  std::optional<store::AuditHead> head_;  // unknown until read once
  bool appending_ = false;
  bool stopped_ = false;
  std::size_t lost_ = 0;
  std::chrono::steady_clock::time_point failure_window_{};
  unsigned failures_in_window_ = 0;
  unsigned failures_unrecorded_ = 0;
};

}  // namespace puente::app
