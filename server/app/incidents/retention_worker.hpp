#pragma once
// Purges what is older than the retention, every `interval`, on whichever node takes the
// period's lease (store/retention_store.hpp has the data; core/retention.hpp the rules).
//
// A pass: take the lease -> the incidents idle since the cutoff, a batch at a time, each purged
// by its own script (evidence and incidents touched meanwhile are kept) -> the report and ack
// logs and the alert histories trimmed to the cutoff (the histories also to their own
// limits.history_max_age_seconds), stale presence and availability dropped -> if the pass removed
// anything, an AOF rewrite is due, so that what was purged leaves the disk too; it is asked for
// at most once per `aof_rewrite_interval` (store/retention_store.hpp), and a pass that finds one
// still due asks again. A Redis failure ends the pass; the next one starts over, so nothing is
// skipped for good.

#include "core/metrics.hpp"
#include "store/retention_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::app {

struct RetentionSettings {
  std::chrono::seconds retention;
  std::chrono::seconds history_max_age;
  std::chrono::milliseconds interval;
  std::chrono::milliseconds
      aof_rewrite_interval;  // at most one BGREWRITEAOF per this, network-wide
  std::string node_id;
  std::vector<std::string> slugs;  // every neighborhood: each has an alert history
  // Deletes media blobs a purge left without a reference (app/media/blob_store.hpp); unset: the
  // node keeps no media.
  std::function<void(const std::vector<std::string>& sha256s)> forget_blobs;
};

class RetentionWorker : public std::enable_shared_from_this<RetentionWorker> {
 public:
  RetentionWorker(boost::asio::any_io_executor executor, store::RetentionStore& store,
                  core::Metrics& metrics, RetentionSettings settings);

  void start();
  void stop();  // thread-safe

 private:
  using TimePoint = std::chrono::system_clock::time_point;

  void schedule_pass();
  void pass();
  void purge_batch(TimePoint now, TimePoint cutoff, std::size_t purged_so_far);
  void finish_pass(TimePoint now, TimePoint cutoff, std::size_t purged);
  // Asks for an AOF rewrite if one is due, then waits for the next pass.
  void rewrite_then_wait();

  boost::asio::steady_timer timer_;
  store::RetentionStore& store_;
  core::Metrics& metrics_;
  RetentionSettings settings_;
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::app
