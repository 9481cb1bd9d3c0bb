#include "app/access/audit_trail.hpp"

#include "core/audit_chain.hpp"
#include "core/bearer_token.hpp"
#include "core/clock.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace puente::app {

namespace {

constexpr std::chrono::seconds retry_after{1};

// Why a token signed no one in, as the audit log says it (the client is told less: refusal.hpp).
std::string_view failure_name(std::optional<core::SignInFailure> failure) {
  switch (failure.value_or(core::SignInFailure::unknown)) {
    case core::SignInFailure::missing: return "missing";
    case core::SignInFailure::expired: return "expired";
    case core::SignInFailure::revoked: return "revoked";
    case core::SignInFailure::unknown: break;
  }
  return "unknown";
}

}  // namespace

AuditTrail::AuditTrail(boost::asio::any_io_executor executor, store::AuditStore& store,
                       std::unique_ptr<store::Journal> journal, std::string node_id,
                       std::chrono::seconds sign_in_window, core::Metrics& metrics)
    : strand_(boost::asio::make_strand(executor)),
      store_(store),
      node_id_(std::move(node_id)),
      metrics_(metrics),
      journal_(std::move(journal)),
      sign_in_window_(sign_in_window),
      sign_in_timer_(strand_) {
  metrics_.audit_waiting.add(static_cast<std::int64_t>(journal_->size()));
}

void AuditTrail::record(std::string actor, std::string action, std::string subject,
                        std::string detail) {
  v1::AuditEntry entry;
  *entry.mutable_at() = core::now();
  entry.set_node_id(node_id_);
  entry.set_actor(std::move(actor));
  entry.set_action(std::move(action));
  entry.set_subject(std::move(subject));
  entry.set_detail(std::move(detail));
  metrics_.audit_waiting.add(1);
  try {
    // On disk before the caller answers the action it records.
    journal_->append(entry.SerializeAsString());
    boost::asio::post(strand_, [self = shared_from_this()] { self->pump(); });
  } catch (const std::exception& e) {
    metrics_.audit_lost.inc();
    spdlog::error(
        "audit: the journal refused an entry ({}); it is kept in memory until Redis "
        "takes it: {}",
        entry.action(), e.what());
    boost::asio::post(strand_, [self = shared_from_this(), entry = std::move(entry)]() mutable {
      self->unjournaled_.push_back(std::move(entry));
      self->pump();
    });
  }
}

void AuditTrail::failed_sign_in(const core::SignIn& sign_in, std::string_view where,
                                const std::string& peer_address) {
  std::string reason = std::string(where) + " " + std::string(failure_name(sign_in.failure));
  boost::asio::post(strand_, [self = shared_from_this(), token_id = sign_in.token_id,
                              reason = std::move(reason), peer_address]() {
    self->sign_in_failures_.add(peer_address, reason, token_id);
    if (self->sign_in_window_open_ || self->stopped_) return;
    // The first failure opens the window; its end records all of them.
    self->sign_in_window_open_ = true;
    self->sign_in_timer_.expires_after(self->sign_in_window_);
    // By number: a window flushed early must not have its timer close the next one.
    self->sign_in_timer_.async_wait(
        [self, window = ++self->sign_in_windows_](boost::system::error_code ec) {
          if (!ec && window == self->sign_in_windows_ && self->sign_in_window_open_)
            self->close_sign_in_window();
        });
  });
}

void AuditTrail::close_sign_in_window() {
  sign_in_window_open_ = false;
  // The subject is the client's address: what an admin would block. Addresses past the cap come
  // summed in one entry with no address.
  for (const auto& count : sign_in_failures_.close_window())
    record("", "sign_in.failed", count.address, count.describe(sign_in_window_));
}

void AuditTrail::flush() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    if (!self->sign_in_window_open_) return;
    self->sign_in_timer_.cancel();
    self->close_sign_in_window();
  });
}

void AuditTrail::note_roster(std::string sha256, std::size_t responders) {
  store_.note_roster(sha256, [self = shared_from_this(), sha256, responders](store::Outcome outcome,
                                                                             bool changed) {
    if (outcome != store::Outcome::ok)
      return boost::asio::post(self->strand_, [self, sha256, responders] {
        self->retry_later([self, sha256, responders] { self->note_roster(sha256, responders); });
      });
    if (changed)
      self->record("", "roster.changed", sha256, std::to_string(responders) + " responders");
  });
}

void AuditTrail::stop() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->sign_in_timer_.cancel();
    if (!self->sign_in_failures_.empty())
      spdlog::warn(
          "audit: failed sign-ins of the last moment not recorded before the node stopped");
    if (self->journal_->size() > 0)
      spdlog::info("audit: {} entries wait in the audit journal {}; they go out at the next start",
                   self->journal_->size(), self->journal_->path().string());
    if (!self->unjournaled_.empty())
      spdlog::error("audit: {} entries the disk refused were not written before the node stopped",
                    self->unjournaled_.size());
  });
}

void AuditTrail::start() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    if (self->journal_->size() > 0)
      spdlog::info("audit: {} entries wait in the audit journal", self->journal_->size());
    self->started_ = true;
    self->pump();
  });
}

bool AuditTrail::next_waiting(Next& next) {
  std::vector<store::Journal::Entry> oldest;
  try {
    oldest = journal_->pending(1);
    if (oldest.empty()) journal_->compact();
  } catch (const std::exception& e) {
    // A disk failing under the journal must not take the node down: try again later.
    spdlog::error("audit: cannot read the audit journal: {}", e.what());
    retry_later([self = shared_from_this()] { self->pump(); });
    return false;
  }
  std::string payload;
  if (!oldest.empty()) {
    next.sequence = oldest.front().sequence;
    payload = std::move(oldest.front().payload);
    // Its CRC held, so only a bug (or a newer Puente) wrote it so. Not dropped in silence: the
    // log says a record was there.
    if (!next.entry.ParseFromString(payload)) {
      spdlog::error("audit: journal record {} does not parse as an audit entry", next.sequence);
      next.entry.Clear();
      *next.entry.mutable_at() = core::now();
      next.entry.set_node_id(node_id_);
      next.entry.set_action("audit.unreadable");
      next.entry.set_detail("journal record " + std::to_string(next.sequence));
    }
  } else if (!unjournaled_.empty()) {
    next.sequence = 0;
    next.entry = unjournaled_.front();
    payload = next.entry.SerializeAsString();
  } else {
    return false;
  }
  // The time is in ms: two like entries in one ms differ by their journal sequence (or, kept in
  // memory, by their place in this run).
  next.key = core::sha256_hex(payload) + "#" +
             (next.sequence > 0 ? std::to_string(next.sequence)
                                : "m" + std::to_string(unjournaled_taken_));
  return true;
}

void AuditTrail::pump() {
  if (appending_ || stopped_ || !started_) return;
  Next next;
  if (!next_waiting(next)) return;
  appending_ = true;
  if (head_) return append_next(std::move(next));
  store_.head([self = shared_from_this()](store::Outcome outcome, store::AuditHead head) {
    boost::asio::post(self->strand_, [self, outcome, head = std::move(head)] {
      self->appending_ = false;
      if (outcome != store::Outcome::ok) {
        self->metrics_.audit_write_failures.inc();
        return self->retry_later([self] { self->pump(); });
      }
      self->head_ = head;
      self->pump();
    });
  });
}

void AuditTrail::append_next(Next next) {
  auto& entry = next.entry;
  entry.set_sequence(head_->sequence + 1);
  entry.set_previous_hash(head_->hash);
  entry.set_hash(core::audit_hash(entry));
  const auto follows = *head_;
  // `next` is copied, not moved, into the handler: the arguments before it read from it.
  store_.append(follows, entry, node_id_, next.key,
                [self = shared_from_this(), next](store::Outcome outcome, store::AuditHead head) {
                  boost::asio::post(self->strand_, [self, outcome, head = std::move(head), next] {
                    self->appending_ = false;
                    if (outcome == store::Outcome::unavailable) {
                      self->metrics_.audit_write_failures.inc();
                      return self->retry_later([self] { self->pump(); });
                    }
                    // Appended, appended before a crash (duplicate), or another node was first:
                    // either way `head` is the log's head now.
                    self->head_ = head;
                    if (outcome != store::Outcome::conflict) self->appended(next);
                    self->pump();
                  });
                });
}

void AuditTrail::appended(const Next& next) {
  if (next.sequence == 0) {
    unjournaled_.pop_front();
    ++unjournaled_taken_;
  } else {
    try {
      journal_->acknowledge(next.sequence);
    } catch (const std::exception& e) {
      // Unacknowledged, the entry is offered again; the script knows it by its key.
      spdlog::error("audit: cannot acknowledge journal record {}: {}", next.sequence, e.what());
      return;
    }
  }
  metrics_.audit_waiting.add(-1);
}

void AuditTrail::retry_later(std::function<void()> step) {
  // A timer per retry: the pump and the roster note may both be waiting.
  auto timer = std::make_shared<boost::asio::steady_timer>(strand_, retry_after);
  timer->async_wait(
      [self = shared_from_this(), timer, step = std::move(step)](boost::system::error_code ec) {
        if (!ec && !self->stopped_) step();
      });
}

}  // namespace puente::app
