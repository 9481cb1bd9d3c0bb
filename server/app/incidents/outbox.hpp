#pragma once
// Store-and-forward: reports and acks that cannot reach Redis wait here.
//
// The desks (report_desk.hpp, ack_desk.hpp) give a report or an ack here when the store is
// unreachable, after their checks and with its identity set: it is written to the node's local
// journal (store/journal.hpp: checksummed records, fsync before the answer) and the desk
// answers `202 queued`; nothing accepted is lost. Once Redis is back the outbox replays the
// journal in order, one entry at a time, through the same services and with the sender's
// rights, then acknowledges each entry. Every queued entry carries an idempotency key, so an
// entry replayed twice (a crash between the write and the journal's acknowledgement) still
// makes one incident, one ack.
//
// What can be checked without Redis is checked before anything is journaled (the services do
// it before any I/O: the sender's role, the fields, the ids' format), so the journal holds only
// what Redis may yet take. It is capped node-wide (JournalLimits: entries and bytes; beyond,
// 503 journal_full) and per responder (a token bucket; beyond, 429 journal_rate_limited), so
// one token cannot fill it for everyone. An entry the services refuse at its replay (the incident
// is gone, the sender's rights changed, ...) is dropped: logged with the refusal's code,
// counted (puente_journal_dropped_total) and audited ("journal.dropped").

#include "app/access/audit_trail.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/incidents/dispatch_service.hpp"
#include "app/incidents/intake_service.hpp"
#include "app/incidents/journal_limits.hpp"
#include "store/journal.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <functional>
#include <memory>

namespace puente::app {

class Outbox : public std::enable_shared_from_this<Outbox> {
 public:
  Outbox(boost::asio::any_io_executor executor, std::unique_ptr<store::Journal> journal,
         const core::Roster& roster, IntakeService& intake, DispatchService& dispatch,
         core::Metrics& metrics, AuditTrail& audit, JournalLimits limits = {});

  // Journals a report or an ack from `who` (identity set: an id or a time, an idempotency key);
  // else why not: the journal is full, the sender over its rate, the disk refused it too.
  MaybeRefusal keep_report(const core::Responder& who, const v1::Report& report);
  MaybeRefusal keep_ack(const core::Responder& who, const v1::Ack& ack);

  // Entries waiting for Redis (for /readyz and /metrics).
  std::size_t waiting() const;

  void start();  // replays what an earlier run left, and from then on whenever Redis is back
  void stop();

 private:
  MaybeRefusal keep(const core::Responder& who, const v1::JournalEntry& entry);
  void schedule_replay();
  void replay_next();
  // `refusal`: what the services answered the replayed entry.
  void replayed(std::uint64_t sequence, const v1::JournalEntry& entry, const MaybeRefusal& refusal);
  void dropped(std::uint64_t sequence, const v1::JournalEntry& entry, const Refusal& why);

  boost::asio::steady_timer timer_;
  std::unique_ptr<store::Journal> journal_;
  const core::Roster& roster_;
  IntakeService& intake_;
  DispatchService& dispatch_;
  core::Metrics& metrics_;
  AuditTrail& audit_;
  const JournalLimits limits_;
  RateLimiter responders_;  // the journal's rate per responder (limits_.per_responder)
  std::atomic<bool> stopped_{false};
  std::atomic<bool> replaying_{false};
};

}  // namespace puente::app
