#include "app/incidents/outbox.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace puente::app {

namespace {

// How often the outbox looks for Redis while entries wait.
constexpr std::chrono::milliseconds replay_interval{500};

bool store_unreachable(const MaybeRefusal& refusal) {
  return refusal && refusal->code == Refusal::unavailable().code;
}

}  // namespace

Outbox::Outbox(boost::asio::any_io_executor executor, std::unique_ptr<store::Journal> journal,
               const core::Roster& roster, IntakeService& intake, DispatchService& dispatch,
               core::Metrics& metrics, AuditTrail& audit, const core::CallerKey* caller_key,
               JournalLimits limits)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      journal_(std::move(journal)),
      roster_(roster),
      intake_(intake),
      dispatch_(dispatch),
      metrics_(metrics),
      audit_(audit),
      caller_key_(caller_key),
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
    return Refusal{503, "journal_full",
                   "the alert store is unreachable and this node's journal is full; nothing was "
                   "changed, retry later"};
  }
  if (limits_.per_responder.limits() &&
      responders_.take("journal", who.id, limits_.per_responder)) {
    metrics_.journal_refused.inc();
    return Refusal{
        429, "journal_rate_limited",
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

void Outbox::submit_report(const core::Responder& who, v1::Report report,
                           std::function<void(ReportResult)> done) {
  // The number never reaches the store, the journal or a log line: only its keyed hash does. A
  // hash the client sent itself is not taken.
  auto phone = report.caller_phone();
  report.clear_caller_phone();
  report.clear_caller_hash();
  if (!phone.empty()) {
    auto refused = [&](Refusal refusal) {
      done({IntakeService::Result{std::move(refusal), false, {}}, false});
    };
    if (!caller_key_)
      return refused({400, "caller_phone_not_accepted",
                      "this network keeps no caller numbers ([privacy] caller_key_file is not "
                      "set); leave it out"});
    auto number = core::normalized_phone(phone, caller_key_->country_code());
    if (!number)
      return refused(
          {400, "bad_phone", "callerPhone must be a whole phone number, with its area code"});
    report.set_caller_hash(caller_key_->hash(*number));
  }
  // The identity a queued report keeps through its replay: id, time, and an idempotency key.
  report.set_id(core::new_id("rep"));
  *report.mutable_received_at() = core::now();
  if (report.idempotency_key().empty()) report.set_idempotency_key(report.id());
  intake_.submit(
      who, report,
      [self = shared_from_this(), &who, report,
       done = std::move(done)](IntakeService::Result result) mutable {
        if (!store_unreachable(result.refusal)) return done({std::move(result), false});
        v1::JournalEntry entry;
        entry.set_responder_id(who.id);
        *entry.mutable_report() = report;
        if (auto refused = self->keep(who, entry))
          return done({IntakeService::Result{std::move(*refused), false, {}}, false});
        spdlog::warn("outbox: report {} queued in the journal while Redis is unreachable",
                     report.id());
        IntakeService::Result queued{std::nullopt, true, {}};
        *queued.receipt.mutable_report() = std::move(report);
        done({std::move(queued), true});
      },
      /*keep_identity=*/true);
}

void Outbox::submit_ack(const core::Responder& who, v1::Ack ack,
                        std::function<void(AckResult)> done) {
  *ack.mutable_at() = core::now();
  if (ack.idempotency_key().empty()) ack.set_idempotency_key(core::new_id("ack"));
  dispatch_.ack(
      who, ack,
      [self = shared_from_this(), &who, ack, done = std::move(done)](MaybeRefusal refusal,
                                                                     v1::Ack recorded) mutable {
        if (!store_unreachable(refusal))
          return done({std::move(refusal), std::move(recorded), false});
        v1::JournalEntry entry;
        entry.set_responder_id(who.id);
        ack.set_responder_id(who.id);
        *entry.mutable_ack() = ack;
        if (auto refused = self->keep(who, entry)) return done({std::move(refused), {}, false});
        spdlog::warn("outbox: an ack queued in the journal while Redis is unreachable");
        done({std::nullopt, std::move(ack), true});
      },
      /*keep_identity=*/true);
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
                    Refusal{400, "unreadable_entry", "the journal entry does not parse"});
  }
  if (!(who = roster_.find(entry.responder_id())))
    return replayed(sequence, entry,
                    Refusal{403, "sender_left_roster", "the sender is no longer on the roster"});
  auto self = shared_from_this();
  if (entry.has_report()) {
    intake_.submit(
        *who, entry.report(),
        [self, sequence, entry](IntakeService::Result result) {
          self->replayed(sequence, entry, result.refusal);
        },
        /*keep_identity=*/true);
  } else {
    dispatch_.ack(
        *who, entry.ack(),
        [self, sequence, entry](MaybeRefusal refusal, v1::Ack) {
          self->replayed(sequence, entry, refusal);
        },
        /*keep_identity=*/true);
  }
}

void Outbox::dropped(std::uint64_t sequence, const v1::JournalEntry& entry, const Refusal& why) {
  // The refusal's code and words name fields and ids, never a token, a number or an address;
  // the entry's own text (a description, a note) stays out of the log.
  const char* what = entry.has_report() ? "report" : entry.has_ack() ? "ack" : "entry";
  const auto& subject = entry.has_report() ? entry.report().id() : entry.ack().incident_id();
  spdlog::warn("outbox: journal entry {} ({} from {}) dropped at its replay: {} ({})", sequence,
               what, entry.responder_id(), why.code, why.message);
  metrics_.journal_dropped.inc();
  audit_.record(entry.responder_id(), std::string("journal.dropped.") + what, subject, why.code);
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
