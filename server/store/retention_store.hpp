#pragma once
// What the retention purge and the evidence mark do in Redis (core/retention.hpp says why).
//
// The purge's index is {p}incidents:activity: incident id -> ms of its last activity, moved up
// by every script that writes to the incident (lua/helpers.lua, touch). A purge pass reads the ids
// at or before the cutoff, oldest first, and purges each with one script that checks again,
// atomically, that it is still idle and not evidence, then deletes its keys and its index
// entries: two nodes purging at once each find it there or gone, never half. The report and
// ack logs and the alert histories are trimmed to the cutoff by stream id (ms-based, from
// Redis's clock; the nodes' clocks are assumed NTP-close, as for escalation deadlines).
//
// A pass runs on one node a period: whoever takes {p}retention:lease (SET NX PX) first. The
// lease is for economy only; the scripts are what make two passes at once safe.
//
// What a purge deletes stays on disk in the AOF until Redis rewrites it (with the default
// auto-aof-rewrite settings, weeks). So a pass that removed anything marks
// {p}retention:aof_due, and a pass that finds it marked asks for BGREWRITEAOF, at most once per
// [privacy] aof_rewrite_interval_seconds network-wide ({p}retention:aof_rewrite, SET NX PX): a
// rewrite forks and writes the whole dataset. A rewrite already running may have forked before
// the purge, so the mark stays and a later pass asks again.
//
// Marking evidence rewrites the incident's reports without the caller's contact, deletes the
// report log's copies that held it, and takes the incident out of the index for good.
// Every callback runs on the Redis connection's strand, exactly once.

#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

class RetentionStore {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // An evidence mark waits for the replicas through `replication` like every other write the
  // network answers for (replication_barrier.hpp).
  RetentionStore(std::shared_ptr<redis::Connection> redis, Keys keys,
                 std::shared_ptr<ReplicationBarrier> replication);

  // True if this node runs the purge for the next `period` (nobody else holds the lease).
  void take_lease(const std::string& node_id, std::chrono::milliseconds period,
                  std::function<void(bool)> done);

  // Up to `limit` incident ids whose last activity is at or before `cutoff`, oldest first.
  void idle_since(TimePoint cutoff, std::size_t limit,
                  std::function<void(Outcome, std::vector<std::string>)> done);

  enum class Purge { purged, evidence, active, gone, unavailable };
  // `blobs`: when purged, the SHA-256 of each media blob no media refers to any more, for the
  // caller to delete from the blob store (the purge's Redis part is done either way).
  void purge(const std::string& incident_id, TimePoint cutoff,
             std::function<void(Purge, std::vector<std::string> blobs)> done);

  // Trims the report and ack logs to `logs_cutoff`, and the histories of `slugs` to
  // `history_cutoff`, exactly (not XTRIM's approximate ~: what is past the retention must go).
  // Drops the presence and availability that ran out by `now`. A failure is logged and the next
  // pass repeats it; `done` gets how many log and history entries went.
  void trim(TimePoint logs_cutoff, TimePoint history_cutoff, const std::vector<std::string>& slugs,
            TimePoint now, std::function<void(long long trimmed)> done);

  // The AOF still holds what a pass removed: a rewrite is due (true once noted).
  void note_rewrite_due(std::function<void(bool)> done);
  enum class Rewrite {
    started,  // BGREWRITEAOF started (or scheduled after a running BGSAVE): the mark is cleared
    not_due,  // nothing removed since the last rewrite
    rate_limited,  // one ran within the interval: a later pass asks again
    in_progress,  // a rewrite was already running, perhaps forked before the purge: ask again later
    unavailable,  // Redis failed or refused (logged): ask again later
  };
  // If a rewrite is due and none was asked for within `interval`, asks for one.
  void rewrite_if_due(std::chrono::milliseconds interval, std::function<void(Rewrite)> done);

  struct Marked {
    Outcome outcome = Outcome::ok;  // ok, repeated (it already was evidence), not_found, conflict
    TimePoint since;                // when it was first marked
    long long log_entries_deleted = 0;
    // False: marked on the primary, but the link failed while waiting for the replicas, so a
    // failover may lose it. The caller records the mark and still asks the client to retry.
    bool replicated = true;
  };
  // `reports`: the incident's reports as loaded; conflict if the list changed meanwhile (read
  // it again and retry).
  void mark_evidence(const std::string& incident_id, const std::vector<v1::Report>& reports,
                     TimePoint now, std::function<void(Marked)> done);

 private:
  // BGREWRITEAOF, its lease held; clears the mark once Redis took it.
  void ask_for_rewrite(std::function<void(Rewrite)> done);

  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  std::shared_ptr<ReplicationBarrier> replication_;
};

}  // namespace puente::store
