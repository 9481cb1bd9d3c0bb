#include "app/audit_trail.hpp"

#include "core/audit_chain.hpp"
#include "core/clock.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace puente::app {

namespace {

constexpr std::chrono::seconds retry_after{1};

}  // namespace

AuditTrail::AuditTrail(boost::asio::any_io_executor executor, store::AuditStore& store, std::string node_id)
    : strand_(boost::asio::make_strand(executor)), store_(store), node_id_(std::move(node_id)) {}

void AuditTrail::record(std::string actor, std::string action, std::string subject, std::string detail) {
  v1::AuditEntry entry;
  *entry.mutable_at() = core::now();
  entry.set_node_id(node_id_);
  entry.set_actor(std::move(actor));
  entry.set_action(std::move(action));
  entry.set_subject(std::move(subject));
  entry.set_detail(std::move(detail));
  boost::asio::post(strand_, [self = shared_from_this(), entry = std::move(entry)]() mutable {
    self->queue(std::move(entry));
  });
}

void AuditTrail::failed_sign_in(const core::SignIn& sign_in, std::string_view where, std::string_view code) {
  std::string detail = std::string(where) + ": " + std::string(code);
  boost::asio::post(strand_, [self = shared_from_this(), token_id = sign_in.token_id, detail]() mutable {
    auto now = std::chrono::steady_clock::now();
    if (now - self->failure_window_ >= std::chrono::seconds(1)) {
      self->failure_window_ = now;
      self->failures_in_window_ = 0;
    }
    if (++self->failures_in_window_ > sign_in_failures_per_second) {
      ++self->failures_unrecorded_;
      return;
    }
    if (self->failures_unrecorded_ > 0) {
      detail += " (and " + std::to_string(self->failures_unrecorded_) + " more failed sign-ins before, not one by one)";
      self->failures_unrecorded_ = 0;
    }
    // The subject is the token's id when it is one we know (expired, revoked), never the token.
    self->record("", "sign_in.failed", token_id, detail);
  });
}

void AuditTrail::note_roster(std::string sha256, std::size_t responders) {
  store_.note_roster(sha256, [self = shared_from_this(), sha256, responders](store::Outcome outcome, bool changed) {
    if (outcome != store::Outcome::ok)
      return boost::asio::post(self->strand_, [self, sha256, responders] {
        self->retry_later([self, sha256, responders] { self->note_roster(sha256, responders); });
      });
    if (changed) self->record("", "roster.changed", sha256, std::to_string(responders) + " responders");
  });
}

void AuditTrail::stop() {
  boost::asio::post(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    if (!self->waiting_.empty())
      spdlog::warn("audit: {} entries not written before the node stopped", self->waiting_.size());
  });
}

void AuditTrail::queue(v1::AuditEntry entry) {
  if (waiting_.size() >= max_waiting) {
    if (lost_++ == 0) spdlog::error("audit: {} entries wait for Redis; new ones are counted, not kept", max_waiting);
    return;
  }
  if (lost_ > 0) {
    entry.set_detail(entry.detail() + (entry.detail().empty() ? "" : " ") + "(" + std::to_string(lost_) +
                     " audit entries lost before this one while Redis was away)");
    lost_ = 0;
  }
  waiting_.push_back(std::move(entry));
  pump();
}

void AuditTrail::pump() {
  if (appending_ || stopped_ || waiting_.empty()) return;
  appending_ = true;
  if (head_) return append_next();
  store_.head([self = shared_from_this()](store::Outcome outcome, store::AuditHead head) {
    boost::asio::post(self->strand_, [self, outcome, head = std::move(head)] {
      self->appending_ = false;
      if (outcome != store::Outcome::ok) return self->retry_later([self] { self->pump(); });
      self->head_ = head;
      self->pump();
    });
  });
}

void AuditTrail::append_next() {
  auto& entry = waiting_.front();
  entry.set_sequence(head_->sequence + 1);
  entry.set_previous_hash(head_->hash);
  entry.set_hash(core::audit_hash(entry));
  store_.append(*head_, entry, [self = shared_from_this()](store::Outcome outcome, store::AuditHead head) {
    boost::asio::post(self->strand_, [self, outcome, head = std::move(head)] {
      self->appending_ = false;
      if (outcome == store::Outcome::unavailable) return self->retry_later([self] { self->pump(); });
      // Appended, or another node was first: either way `head` is the log's head now.
      self->head_ = head;
      if (outcome == store::Outcome::ok) self->waiting_.pop_front();
      self->pump();
    });
  });
}

void AuditTrail::retry_later(std::function<void()> step) {
  // A timer per retry: the pump and the roster note may both be waiting.
  auto timer = std::make_shared<boost::asio::steady_timer>(strand_, retry_after);
  timer->async_wait([self = shared_from_this(), timer, step = std::move(step)](boost::system::error_code ec) {
    if (!ec && !self->stopped_) step();
  });
}

}  // namespace puente::app
