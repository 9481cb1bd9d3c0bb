#include "store/retention_store.hpp"

#include "store/incident_keys.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

#include "core/clock.hpp"
#include "core/retention.hpp"

namespace puente::store {

namespace {

using core::to_ms;
using redis::Reply;

std::string ms(RetentionStore::TimePoint t) { return std::to_string(to_ms(t)); }

}  // namespace

RetentionStore::RetentionStore(std::shared_ptr<redis::Connection> redis, Keys keys,
                               std::shared_ptr<ReplicationBarrier> replication)
    : redis_(std::move(redis)), keys_(std::move(keys)), replication_(std::move(replication)) {}

void RetentionStore::take_lease(const std::string& node_id, std::chrono::milliseconds period,
                                std::function<void(bool)> done) {
  redis_->execute(
      {"SET", keys_.retention_lease(), node_id, "NX", "PX", std::to_string(period.count())},
      [done = std::move(done)](auto ec, const Reply& reply) {
        done(!failed(ec, reply, "take retention lease") && reply.type == Reply::Type::status);
      });
}

void RetentionStore::idle_since(TimePoint cutoff, std::size_t limit,
                                std::function<void(Outcome, std::vector<std::string>)> done) {
  redis_->execute({"ZRANGEBYSCORE", keys_.incident_activity(), "-inf", ms(cutoff), "LIMIT", "0",
                   std::to_string(limit)},
                  [done = std::move(done)](auto ec, const Reply& reply) {
                    std::vector<std::string> ids;
                    if (failed(ec, reply, "idle incidents")) return done(Outcome::unavailable, ids);
                    for (const auto& e : reply.elements) ids.push_back(e.str);
                    done(Outcome::ok, std::move(ids));
                  });
}

void RetentionStore::purge(const std::string& incident_id, TimePoint cutoff,
                           std::function<void(Purge, std::vector<std::string>)> done) {
  const auto& id = incident_id;
  using Key = lua::PurgeIncident::Key;
  using Arg = lua::PurgeIncident::Arg;
  ScriptCall<lua::PurgeIncident> call;
  add_incident_keys(call, keys_, id);
  call.key(Key::incidents, keys_.incidents())
      .key(Key::open_incidents, keys_.open_incidents())
      .key(Key::corroborable, keys_.corroborable())
      .key(Key::activity, keys_.incident_activity())
      .key(Key::timers, keys_.timers())
      .key(Key::leased_timers, keys_.leased_timers())
      .key(Key::checkins, keys_.checkins())
      .key(Key::leased_checkins, keys_.leased_checkins())
      .key(Key::incident_media, keys_.incident_media(id));
  call.arg(Arg::id, id)
      .arg(Arg::cutoff_ms, ms(cutoff))
      .arg(Arg::places_prefix, keys_.corroborable_places_prefix())
      .arg(Arg::media_prefix, keys_.media_prefix())
      .arg(Arg::blob_prefix, keys_.blob_refs_prefix());
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, const Reply& reply) {
    std::vector<std::string> blobs;
    if (failed(ec, reply, "purge incident") || reply.elements.empty())
      return done(Purge::unavailable, blobs);
    const auto& word = reply.elements[0].str;
    for (std::size_t i = 1; i < reply.elements.size(); ++i) blobs.push_back(reply.elements[i].str);
    if (word == "purged") return done(Purge::purged, std::move(blobs));
    if (word == "evidence") return done(Purge::evidence, blobs);
    done(word == "active" ? Purge::active : Purge::gone, blobs);
  });
}

void RetentionStore::trim(TimePoint logs_cutoff, TimePoint history_cutoff,
                          const std::vector<std::string>& slugs, TimePoint now,
                          std::function<void(long long trimmed)> done) {
  // Every callback runs on the connection's strand: the tally needs no lock.
  struct Tally {
    std::size_t left;
    long long trimmed = 0;
    std::function<void(long long)> done;
  };
  auto tally = std::make_shared<Tally>(Tally{2 + slugs.size(), 0, std::move(done)});
  auto count = [tally](auto ec, const Reply& reply) {
    if (!failed(ec, reply, "trim to the retention") && reply.type == Reply::Type::integer)
      tally->trimmed += reply.integer;
    if (--tally->left == 0) tally->done(tally->trimmed);
  };
  for (const auto& log : {keys_.report_log(), keys_.ack_log()})
    redis_->execute({"XTRIM", log, "MINID", core::stream_min_id(logs_cutoff)}, count);
  for (const auto& slug : slugs)
    redis_->execute(
        {"XTRIM", keys_.alert_history(slug), "MINID", core::stream_min_id(history_cutoff)}, count);
  ScriptCall<lua::PrunePresence> prune;
  prune.key(lua::PrunePresence::Key::presence, keys_.presence())
      .key(lua::PrunePresence::Key::book, keys_.availability())
      .arg(lua::PrunePresence::Arg::now_ms, ms(now));
  std::move(prune).run(
      *redis_, [](auto ec, const Reply& reply) { failed(ec, reply, "trim to the retention"); });
}

void RetentionStore::note_rewrite_due(std::function<void(bool)> done) {
  redis_->execute({"SET", keys_.aof_rewrite_due(), ms(core::Clock::now())},
                  [done = std::move(done)](auto ec, const Reply& reply) {
                    done(!failed(ec, reply, "note an AOF rewrite due"));
                  });
}

void RetentionStore::rewrite_if_due(std::chrono::milliseconds interval,
                                    std::function<void(Rewrite)> done) {
  redis_->execute({"GET", keys_.aof_rewrite_due()}, [this, interval, done = std::move(done)](
                                                        auto ec, const Reply& due) mutable {
    if (failed(ec, due, "read the AOF rewrite mark")) return done(Rewrite::unavailable);
    if (due.is_nil()) return done(Rewrite::not_due);
    redis_->execute({"SET", keys_.aof_rewrite_lease(), ms(core::Clock::now()), "NX", "PX",
                     std::to_string(interval.count())},
                    [this, done = std::move(done)](auto ec, const Reply& lease) mutable {
                      if (failed(ec, lease, "take the AOF rewrite lease"))
                        return done(Rewrite::unavailable);
                      if (lease.type != Reply::Type::status) return done(Rewrite::rate_limited);
                      ask_for_rewrite(std::move(done));
                    });
  });
}

void RetentionStore::ask_for_rewrite(std::function<void(Rewrite)> done) {
  redis_->execute(
      {"BGREWRITEAOF"}, [this, done = std::move(done)](auto ec, const Reply& reply) mutable {
        if (!ec && reply.type == Reply::Type::status) {
          // Started, or scheduled to follow a running BGSAVE: either way it forks after the purge.
          redis_->execute({"DEL", keys_.aof_rewrite_due()}, [](auto ec, const Reply& reply) {
            failed(ec, reply, "clear the AOF rewrite mark");
          });
          return done(Rewrite::started);
        }
        // Not ours after all: the next pass may ask again without waiting out the interval.
        redis_->execute({"DEL", keys_.aof_rewrite_lease()}, [](auto ec, const Reply& reply) {
          failed(ec, reply, "release the AOF rewrite lease");
        });
        if (!ec && reply.is_error() && reply.str.find("already in progress") != std::string::npos)
          return done(Rewrite::in_progress);
        failed(ec, reply, "rewrite the AOF");
        done(Rewrite::unavailable);
      });
}

void RetentionStore::mark_evidence(const std::string& incident_id,
                                   const std::vector<v1::Report>& reports, TimePoint now,
                                   std::function<void(Marked)> done) {
  using Key = lua::MarkEvidence::Key;
  using Arg = lua::MarkEvidence::Arg;
  ScriptCall<lua::MarkEvidence> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::reports, keys_.incident_reports(incident_id))
      .key(Key::report_log, keys_.report_log())
      .key(Key::activity, keys_.incident_activity());
  call.arg(Arg::id, incident_id)
      .arg(Arg::now_ms, ms(now))
      .arg(Arg::count, std::to_string(reports.size()));
  for (const auto& report : reports) {
    v1::Report stripped = report;
    core::strip_caller_contact(stripped);
    call.tail_arg(report.SerializeAsString());
    call.tail_arg(stripped.SerializeAsString());
  }
  std::move(call).run(*redis_, [barrier = replication_, done = std::move(done)](
                                   auto ec, const Reply& reply) mutable {
    Marked marked;
    if (failed(ec, reply, "mark evidence")) {
      marked.outcome = Outcome::unavailable;
      return done(marked);
    }
    const auto& e = reply.elements;
    auto word = e.empty() ? std::string() : e[0].str;
    if (word == "ok" || word == "already") {
      marked.outcome = word == "ok" ? Outcome::ok : Outcome::repeated;
      if (e.size() > 1)
        marked.since = TimePoint(std::chrono::milliseconds(std::atoll(e[1].str.c_str())));
      if (e.size() > 2) marked.log_entries_deleted = e[2].integer;
    } else {
      marked.outcome = word == "changed" ? Outcome::conflict : Outcome::not_found;
    }
    if (marked.outcome != Outcome::ok) return done(marked);
    barrier->after_write([marked, done = std::move(done)](bool stored) mutable {
      marked.replicated = stored;
      done(marked);
    });
  });
}

}  // namespace puente::store
