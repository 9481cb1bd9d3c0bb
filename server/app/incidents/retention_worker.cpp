#include "app/incidents/retention_worker.hpp"

#include "core/retention.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace puente::app {

namespace {

using Clock = std::chrono::system_clock;

// Incidents purged per batch: each is one short script, and other commands run between them,
// so a backlog (a node that was down for days) never holds Redis for long.
constexpr std::size_t batch = 100;

}  // namespace

RetentionWorker::RetentionWorker(boost::asio::any_io_executor executor,
                                 store::RetentionStore& store, core::Metrics& metrics,
                                 RetentionSettings settings)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      store_(store),
      metrics_(metrics),
      settings_(std::move(settings)) {}

void RetentionWorker::start() {
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->schedule_pass(); });
}

void RetentionWorker::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void RetentionWorker::schedule_pass() {
  if (stopped_) return;
  timer_.expires_after(settings_.interval);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->pass();
  });
}

void RetentionWorker::pass() {
  // The lease lasts one period, so one node purges a period however many run.
  store_.take_lease(settings_.node_id, settings_.interval, [self = shared_from_this()](bool ours) {
    if (!ours || self->stopped_) {
      return boost::asio::post(self->timer_.get_executor(), [self] { self->schedule_pass(); });
    }
    auto now = Clock::now();
    self->purge_batch(now, core::purge_cutoff(now, self->settings_.retention), 0);
  });
}

void RetentionWorker::purge_batch(TimePoint now, TimePoint cutoff, std::size_t purged_so_far) {
  store_.idle_since(
      cutoff, batch,
      [self = shared_from_this(), now, cutoff, purged_so_far](store::Outcome outcome,
                                                              std::vector<std::string> ids) {
        if (outcome != store::Outcome::ok || self->stopped_)
          return boost::asio::post(self->timer_.get_executor(), [self] { self->schedule_pass(); });
        if (ids.empty()) return self->finish_pass(now, cutoff, purged_so_far);

        // Every callback runs on the Redis connection's strand: the tally needs no lock.
        struct Tally {
          std::size_t left, purged = 0;
          bool failed = false;
        };
        auto tally = std::make_shared<Tally>(Tally{ids.size()});
        bool full = ids.size() == batch;
        for (const auto& id : ids) {
          self->store_.purge(
              id, cutoff,
              [self, tally, now, cutoff, purged_so_far, full](store::RetentionStore::Purge p,
                                                              std::vector<std::string> blobs) {
                if (p == store::RetentionStore::Purge::purged) {
                  ++tally->purged;
                  self->metrics_.incidents_purged.inc();
                  // Redis no longer names them: their bytes go too.
                  if (!blobs.empty() && self->settings_.forget_blobs)
                    self->settings_.forget_blobs(blobs);
                }
                if (p == store::RetentionStore::Purge::unavailable) tally->failed = true;
                if (--tally->left > 0) return;
                auto purged = purged_so_far + tally->purged;
                if (tally->failed) {
                  spdlog::warn(
                      "retention: pass ended by a Redis failure after purging {} incidents",
                      purged);
                  return boost::asio::post(self->timer_.get_executor(),
                                           [self] { self->schedule_pass(); });
                }
                // A full batch may have more behind it. The ones kept (evidence, active) left the
                // range, so the next batch never returns the same ids.
                if (full) return self->purge_batch(now, cutoff, purged);
                self->finish_pass(now, cutoff, purged);
              });
        }
      });
}

void RetentionWorker::finish_pass(TimePoint now, TimePoint cutoff, std::size_t purged) {
  auto history_cutoff =
      now - core::history_age_limit(settings_.history_max_age, settings_.retention);
  if (purged > 0)
    spdlog::info("retention: purged {} incidents idle for over {} s", purged,
                 settings_.retention.count());
  store_.trim(cutoff, history_cutoff, settings_.slugs, now,
              [self = shared_from_this(), purged](long long trimmed) {
                if (purged == 0 && trimmed == 0) return self->rewrite_then_wait();
                self->store_.note_rewrite_due([self](bool) { self->rewrite_then_wait(); });
              });
}

void RetentionWorker::rewrite_then_wait() {
  using Rewrite = store::RetentionStore::Rewrite;
  store_.rewrite_if_due(settings_.aof_rewrite_interval, [self =
                                                             shared_from_this()](Rewrite rewrite) {
    if (rewrite == Rewrite::started)
      spdlog::info("retention: AOF rewrite asked for, so that what was purged leaves Redis's disk");
    if (rewrite == Rewrite::in_progress)
      spdlog::info(
          "retention: an AOF rewrite is already running (it may predate the purge); asking again "
          "next pass");
    boost::asio::post(self->timer_.get_executor(), [self] { self->schedule_pass(); });
  });
}

}  // namespace puente::app
