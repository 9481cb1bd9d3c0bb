#include "app/access/audit_trail.hpp"

#include "core/audit_chain.hpp"
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
                       std::string node_id, std::chrono::seconds sign_in_window,
                       core::Metrics& metrics)
    : strand_(boost::asio::make_strand(executor)),
      store_(store),
      node_id_(std::move(node_id)),
      metrics_(metrics),
      sign_in_window_(sign_in_window),
      sign_in_timer_(strand_) {}

void AuditTrail::record(std::string actor, std::string action, std::string subject,
                        std::string detail) {
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
    if (!self->waiting_.empty())
      spdlog::warn("audit: {} entries not written before the node stopped", self->waiting_.size());
  });
}

void AuditTrail::queue(v1::AuditEntry entry) {
  if (waiting_.size() >= max_waiting) {
    metrics_.audit_lost.inc();
    if (lost_++ == 0)
      spdlog::error("audit: {} entries wait for Redis; new ones are counted, not kept",
                    max_waiting);
    return;
  }
  if (lost_ > 0) {
    entry.set_detail(entry.detail() + (entry.detail().empty() ? "" : " ") + "(" +
                     std::to_string(lost_) +
                     " audit entries lost before this one while Redis was away)");
    lost_ = 0;
  }
  waiting_.push_back(std::move(entry));
  metrics_.audit_waiting.add(1);
  pump();
}

void AuditTrail::pump() {
  if (appending_ || stopped_ || waiting_.empty()) return;
  appending_ = true;
  if (head_) return append_next();
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

void AuditTrail::append_next() {
  auto& entry = waiting_.front();
  entry.set_sequence(head_->sequence + 1);
  entry.set_previous_hash(head_->hash);
  entry.set_hash(core::audit_hash(entry));
  store_.append(*head_, entry,
                [self = shared_from_this()](store::Outcome outcome, store::AuditHead head) {
                  boost::asio::post(self->strand_, [self, outcome, head = std::move(head)] {
                    self->appending_ = false;
                    if (outcome == store::Outcome::unavailable) {
                      self->metrics_.audit_write_failures.inc();
                      return self->retry_later([self] { self->pump(); });
                    }
                    // Appended, or another node was first: either way `head` is the log's head now.
                    self->head_ = head;
                    if (outcome == store::Outcome::ok) {
                      self->waiting_.pop_front();
                      self->metrics_.audit_waiting.add(-1);
                    }
                    self->pump();
                  });
                });
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
