#include "app/incidents/outbox.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace puente::app {

namespace {

// How often the outbox looks for Redis while entries wait.
constexpr std::chrono::milliseconds replay_interval{500};

}  // namespace

Outbox::Outbox(boost::asio::any_io_executor executor, std::unique_ptr<store::Journal> journal,
               const core::Roster& roster, IntakeService& intake, DispatchService& dispatch,
               core::Metrics& metrics, AuditTrail& audit, JournalLimits limits)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      journal_(std::move(journal)),
      roster_(roster),
      intake_(intake),
      dispatch_(dispatch),
      metrics_(metrics),
      audit_(audit),
      limits_(limits) {}

std::size_t Outbox::waiting() const { return journal_ ? journal_->size() : 0; }

MaybeRefusal Outbox::keep(const core::Responder& who, const v1::JournalEntry& entry) {
  if (!journal_) return Refusal::unavailable();
  const auto payload = entry.SerializeAsString();
  // Two requests may pass the caps together and go one entry over: a bound, not an exact count.
  if (journal_->size() >= limits_.max_entries ||
      journal_->pending_bytes() + payload.size() > limits_.max_bytes) {
    metrics_.journal_refused.inc();
    spdlog::warn(
        "outbox: the journal is full ({} entries); refused an entry while Redis is unreachable",
        journal_->size());
    return Refusal{RefusalKind::journal_full,
                   "the alert store is unreachable and this node's journal is full; nothing was "
                   "changed, retry later"};
  }
  if (limits_.per_responder.limits() &&
      responders_.take("journal", who.id, limits_.per_responder)) {
    metrics_.journal_refused.inc();
    return Refusal{
        RefusalKind::journal_rate_limited,
        "the alert store is unreachable and you have queued as much as one responder may; nothing "
        "was changed, retry later"};
  }
  try {
    journal_->append(payload);
    metrics_.journal_queued.inc();
    return std::nullopt;
  } catch (const std::exception& e) {
    spdlog::error("outbox: the journal refused an entry: {}", e.what());
    return Refusal::unavailable();
  }
}

MaybeRefusal Outbox::keep_report(const core::Responder& who, const v1::Report& report) {
  v1::JournalEntry entry;
  entry.set_responder_id(who.id);
  *entry.mutable_report() = report;
  if (auto refused = keep(who, entry)) return refused;
  spdlog::warn("outbox: report {} queued in the journal while Redis is unreachable", report.id());
  return std::nullopt;
}

MaybeRefusal Outbox::keep_ack(const core::Responder& who, const v1::Ack& ack) {
  v1::JournalEntry entry;
  entry.set_responder_id(who.id);
  *entry.mutable_ack() = ack;
  if (auto refused = keep(who, entry)) return refused;
  spdlog::warn("outbox: an ack queued in the journal while Redis is unreachable");
  return std::nullopt;
}

void Outbox::start() {
  if (!journal_) return;
  if (journal_->size() > 0)
    spdlog::info("outbox: {} entries wait in the journal", journal_->size());
  schedule_replay();
}

void Outbox::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void Outbox::schedule_replay() {
  if (stopped_) return;
  timer_.expires_after(replay_interval);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    if (self->journal_->size() == 0 || self->replaying_) return self->schedule_replay();
    self->replaying_ = true;
    self->replay_next();
  });
}

void Outbox::replay_next() {
  std::vector<store::Journal::Entry> next;
  try {
    next = journal_->pending(1);
    if (next.empty()) journal_->compact();
  } catch (const std::exception& e) {
    // A disk that fails under the journal must not take the node down: try again later.
    spdlog::error("outbox: cannot read the journal: {}", e.what());
    next.clear();
  }
  if (next.empty() || stopped_) {
    replaying_ = false;
    return schedule_replay();
  }
  const auto sequence = next.front().sequence;
  v1::JournalEntry entry;
  const core::Responder* who = nullptr;
  if (!entry.ParseFromString(next.front().payload)) {
    return replayed(sequence, entry,
                    Refusal{RefusalKind::unreadable_entry, "the journal entry does not parse"});
  }
  if (!(who = roster_.find(entry.responder_id())))
    return replayed(
        sequence, entry,
        Refusal{RefusalKind::sender_left_roster, "the sender is no longer on the roster"});
  // A desk gave every entry its identity before it was kept; one without came from elsewhere.
  if (entry.has_report() ? entry.report().id().empty() : !entry.has_ack() || !entry.ack().has_at())
    return replayed(sequence, entry,
                    Refusal{RefusalKind::unreadable_entry, "the journal entry has no identity"});
  auto self = shared_from_this();
  if (entry.has_report()) {
    // Recorded as replayed: the dispatchers see it reached Redis from a node's journal.
    v1::Report report = entry.report();
    report.set_replayed(true);
    intake_.submit(*who, std::move(report),
                   [self, sequence, entry](MaybeRefusal refusal, Accepted<v1::ReportReceipt>) {
                     self->replayed(sequence, entry, refusal);
                   });
  } else {
    dispatch_.ack(*who, entry.ack(),
                  [self, sequence, entry](MaybeRefusal refusal, Accepted<v1::Ack>) {
                    self->replayed(sequence, entry, refusal);
                  });
  }
}

void Outbox::dropped(std::uint64_t sequence, const v1::JournalEntry& entry, const Refusal& why) {
  // The refusal's code and words name fields and ids, never a token, a number or an address;
  // the entry's own text (a description, a note) stays out of the log.
  const char* what = entry.has_report() ? "report" : entry.has_ack() ? "ack" : "entry";
  const auto& subject = entry.has_report() ? entry.report().id() : entry.ack().incident_id();
  spdlog::warn("outbox: journal entry {} ({} from {}) dropped at its replay: {} ({})", sequence,
               what, entry.responder_id(), why.code(), why.message());
  metrics_.journal_dropped.inc();
  audit_.record(entry.responder_id(), std::string("journal.dropped.") + what, subject,
                std::string(why.code()));
}

void Outbox::replayed(std::uint64_t sequence, const v1::JournalEntry& entry,
                      const MaybeRefusal& refusal) {
  // Still unreachable: try again on the next round, from the same entry.
  if (store_unreachable(refusal)) {
    replaying_ = false;
    return boost::asio::post(timer_.get_executor(),
                             [self = shared_from_this()] { self->schedule_replay(); });
  }
  try {
    journal_->acknowledge(sequence);
  } catch (const std::exception& e) {
    // Unacknowledged, the entry is replayed again later: harmless, it carries its idempotency key.
    spdlog::error("outbox: cannot acknowledge journal entry {}: {}", sequence, e.what());
    replaying_ = false;
    return boost::asio::post(timer_.get_executor(),
                             [self = shared_from_this()] { self->schedule_replay(); });
  }
  if (refusal)
    dropped(sequence, entry, *refusal);
  else
    metrics_.journal_replayed.inc();
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->replay_next(); });
}

}  // namespace puente::app
