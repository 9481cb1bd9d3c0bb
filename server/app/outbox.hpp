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

#include "app/dispatch_service.hpp"
#include "app/intake_service.hpp"
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
  Outbox(boost::asio::any_io_executor executor, std::unique_ptr<store::Journal> journal, const core::Roster& roster,
         IntakeService& intake, DispatchService& dispatch, core::Metrics& metrics, const core::CallerKey* caller_key);

  struct ReportResult {
    IntakeService::Result result;
    bool queued = false;  // kept in the journal: answer 202
  };
  // A caller's phone number is replaced by its hash here, before the report goes anywhere.
  void submit_report(const core::Responder& who, v1::Report report, std::function<void(ReportResult)> done);

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
  // Writes the entry; false if the disk refused it too.
  bool keep(const v1::JournalEntry& entry);
  void schedule_replay();
  void replay_next();
  void replayed(std::uint64_t sequence, bool store_was_reachable);

  boost::asio::steady_timer timer_;
  std::unique_ptr<store::Journal> journal_;
  const core::Roster& roster_;
  IntakeService& intake_;
  DispatchService& dispatch_;
  core::Metrics& metrics_;
  const core::CallerKey* caller_key_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> replaying_{false};
};

}  // namespace puente::app
