#include "app/outbox.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

namespace puente::app {

namespace {

// How often the outbox looks for Redis while entries wait.
constexpr std::chrono::milliseconds replay_interval{500};

bool store_unreachable(const MaybeRefusal& refusal) {
  return refusal && refusal->code == Refusal::unavailable().code;
}

}  // namespace

Outbox::Outbox(boost::asio::any_io_executor executor, std::unique_ptr<store::Journal> journal,
               const core::Roster& roster, IntakeService& intake, DispatchService& dispatch, core::Metrics& metrics,
               const core::CallerKey* caller_key)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)), journal_(std::move(journal)), roster_(roster),
      intake_(intake), dispatch_(dispatch), metrics_(metrics), caller_key_(caller_key) {}

std::size_t Outbox::waiting() const { return journal_ ? journal_->size() : 0; }

bool Outbox::keep(const v1::JournalEntry& entry) {
  if (!journal_) return false;
  try {
    journal_->append(entry.SerializeAsString());
    metrics_.journal_queued.inc();
    return true;
  } catch (const std::exception& e) {
    spdlog::error("outbox: the journal refused an entry: {}", e.what());
    return false;
  }
}

void Outbox::submit_report(const core::Responder& who, v1::Report report, std::function<void(ReportResult)> done) {
  // The number never reaches the store, the journal or a log line: only its keyed hash does. A
  // hash the client sent itself is not taken.
  auto phone = report.caller_phone();
  report.clear_caller_phone();
  report.clear_caller_hash();
  if (!phone.empty()) {
    auto refused = [&](Refusal refusal) { done({IntakeService::Result{std::move(refusal), false, {}}, false}); };
    if (!caller_key_)
      return refused({400, "caller_phone_not_accepted",
                      "this network keeps no caller numbers ([privacy] caller_key_file is not set); leave it out"});
    auto number = core::normalized_phone(phone);
    if (!number) return refused({400, "bad_phone", "callerPhone must hold 7 to 15 digits"});
    report.set_caller_hash(caller_key_->hash(*number));
  }
  // The identity a queued report keeps through its replay: id, time, and an idempotency key.
  report.set_id(core::new_id("rep"));
  *report.mutable_received_at() = core::now();
  if (report.idempotency_key().empty()) report.set_idempotency_key(report.id());
  intake_.submit(who, report, [self = shared_from_this(), &who, report, done = std::move(done)](
                                  IntakeService::Result result) mutable {
    if (!store_unreachable(result.refusal)) return done({std::move(result), false});
    v1::JournalEntry entry;
    entry.set_responder_id(who.id);
    *entry.mutable_report() = report;
    if (!self->keep(entry)) return done({std::move(result), false});
    spdlog::warn("outbox: report {} queued in the journal while Redis is unreachable", report.id());
    IntakeService::Result queued{std::nullopt, true, {}};
    *queued.receipt.mutable_report() = std::move(report);
    done({std::move(queued), true});
  }, /*keep_identity=*/true);
}

void Outbox::submit_ack(const core::Responder& who, v1::Ack ack, std::function<void(AckResult)> done) {
  *ack.mutable_at() = core::now();
  if (ack.idempotency_key().empty()) ack.set_idempotency_key(core::new_id("ack"));
  dispatch_.ack(who, ack, [self = shared_from_this(), &who, ack, done = std::move(done)](MaybeRefusal refusal,
                                                                                          v1::Ack recorded) mutable {
    if (!store_unreachable(refusal)) return done({std::move(refusal), std::move(recorded), false});
    v1::JournalEntry entry;
    entry.set_responder_id(who.id);
    ack.set_responder_id(who.id);
    *entry.mutable_ack() = ack;
    if (!self->keep(entry)) return done({std::move(refusal), {}, false});
    spdlog::warn("outbox: an ack queued in the journal while Redis is unreachable");
    done({std::nullopt, std::move(ack), true});
  }, /*keep_identity=*/true);
}

void Outbox::start() {
  if (!journal_) return;
  if (journal_->size() > 0) spdlog::info("outbox: {} entries wait in the journal", journal_->size());
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
  if (!entry.ParseFromString(next.front().payload) || !(who = roster_.find(entry.responder_id()))) {
    spdlog::error("outbox: journal entry {} cannot be replayed (unreadable, or its sender left the roster)", sequence);
    return replayed(sequence, true);
  }
  auto self = shared_from_this();
  if (entry.has_report()) {
    intake_.submit(*who, entry.report(), [self, sequence](IntakeService::Result result) {
      self->replayed(sequence, !store_unreachable(result.refusal));
    }, /*keep_identity=*/true);
  } else {
    dispatch_.ack(*who, entry.ack(), [self, sequence](MaybeRefusal refusal, v1::Ack) {
      self->replayed(sequence, !store_unreachable(refusal));
    }, /*keep_identity=*/true);
  }
}

void Outbox::replayed(std::uint64_t sequence, bool store_was_reachable) {
  // Still unreachable: try again on the next round, from the same entry.
  if (!store_was_reachable) {
    replaying_ = false;
    return boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->schedule_replay(); });
  }
  try {
    journal_->acknowledge(sequence);
  } catch (const std::exception& e) {
    // Unacknowledged, the entry is replayed again later: harmless, it carries its idempotency key.
    spdlog::error("outbox: cannot acknowledge journal entry {}: {}", sequence, e.what());
    replaying_ = false;
    return boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->schedule_replay(); });
  }
  metrics_.journal_replayed.inc();
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->replay_next(); });
}

}  // namespace puente::app
