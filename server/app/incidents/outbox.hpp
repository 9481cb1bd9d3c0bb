#pragma once
// Store-and-forward: reports and acks that cannot reach Redis wait here.
//
// Requests go through the outbox to the services. When the store is unreachable, the report or
// ack is written to the node's local journal (store/journal.hpp: checksummed records, fsync
// before the answer) and answered `202 queued`; nothing accepted is lost. Once Redis is back
// the outbox replays the journal in order, one entry at a time, through the same services and
// with the sender's rights, then acknowledges each entry. Every queued entry carries an
// idempotency key, so an entry replayed twice (a crash between the write and the journal's
// acknowledgement) still makes one incident, one ack.
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
#include "core/caller_key.hpp"
#include "store/journal.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <functional>
#include <memory>

namespace puente::app {

class Outbox : public std::enable_shared_from_this<Outbox> {
 public:
  // `caller_key`: null when the network keeps no caller key (a report with a phone is refused).
  Outbox(boost::asio::any_io_executor executor, std::unique_ptr<store::Journal> journal,
         const core::Roster& roster, IntakeService& intake, DispatchService& dispatch,
         core::Metrics& metrics, AuditTrail& audit, const core::CallerKey* caller_key,
         JournalLimits limits = {});

  struct ReportResult {
    IntakeService::Result result;
    bool queued = false;  // kept in the journal: answer 202
  };
  // A caller's phone number is replaced by its hash here, before the report goes anywhere.
  void submit_report(const core::Responder& who, v1::Report report,
                     std::function<void(ReportResult)> done);

  struct AckResult {
    MaybeRefusal refusal;
    v1::Ack ack;
    bool queued = false;
  };
  void submit_ack(const core::Responder& who, v1::Ack ack, std::function<void(AckResult)> done);

  // Entries waiting for Redis (for /readyz and /metrics).
  std::size_t waiting() const;

  void start();  // replays what an earlier run left, and from then on whenever Redis is back
  void stop();

 private:
  // Writes the entry; else why not (the journal is full, the sender over its rate, the disk
  // refused it too).
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
  const core::CallerKey* caller_key_;
  const JournalLimits limits_;
  RateLimiter responders_;  // the journal's rate per responder (limits_.per_responder)
  std::atomic<bool> stopped_{false};
  std::atomic<bool> replaying_{false};
};

}  // namespace puente::app
