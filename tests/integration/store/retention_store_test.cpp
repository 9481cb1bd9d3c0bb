// The retention's Redis side against a real Redis: two nodes purging the same incidents at once
// purge each exactly once and leave no key behind; evidence and recent activity are kept;
// marking evidence strips the caller hash from the incident's reports and deletes the report
// log's copies, and refuses a list that changed meanwhile; logs are trimmed exactly by age; an
// AOF rewrite is asked for after a purge, at most once per interval, and again if one was running.
#include "store/retention_store.hpp"

#include "core/clock.hpp"
#include "redis_link.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <future>
#include <map>
#include <mutex>

namespace puente::store {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;
using Purge = RetentionStore::Purge;

v1::Report report_with_hash(const std::string& id, const std::string& hash) {
  v1::Report report;
  report.set_id(id);
  report.set_description("three vans at the car wash");
  report.set_caller_hash(hash);
  return report;
}

class RetentionStoreTest : public test::StoreTest {
 protected:
  // Two nodes: each its own connection, as two puented processes would have.
  test::RedisLink& link_a = link;
  test::RedisLink link_b{io, redis.port()};
  Keys keys{"test:"};
  // No replicas here: the barriers answer at once.
  RetentionStore node_a{
      link_a.connection(), keys,
      std::make_shared<ReplicationBarrier>(link_a.connection(), ReplicationOptions{})};
  RetentionStore node_b{
      link_b.connection(), keys,
      std::make_shared<ReplicationBarrier>(link_b.connection(), ReplicationOptions{})};

  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(link_b.wait_up());
  }

  redis::Reply command(std::vector<std::string> args) { return link_a.command(std::move(args)); }
  long long integer(std::vector<std::string> args) { return link_a.integer(std::move(args)); }

  // An incident as the incident store leaves it, every key filled, last active at `active`.
  void seed(const std::string& id, Clock::time_point active, bool evidence = false) {
    auto ms = std::to_string(core::to_ms(active));
    command(
        {"HSET", keys.incident(id), "pb", "head", "status", "4", "updated_ms", ms, "kind", "1"});
    if (evidence) command({"HSET", keys.incident(id), "evidence_ms", ms});
    command({"RPUSH", keys.incident_reports(id),
             report_with_hash("rep-" + id, "hash-" + id).SerializeAsString()});
    command({"RPUSH", keys.incident_alerts(id), "1-0 alert"});
    command({"RPUSH", keys.incident_acks(id), "ack"});
    command({"SADD", keys.incident_alerted(id), "boyle-heights"});
    command({"SADD", keys.incident_reporters(id), "op"});
    command({"RPUSH", keys.incident_deliveries(id), "batch"});
    command({"HSET", keys.incident_texts(id), "texted al-1 obs-bh", ms});
    command({"ZADD", keys.incidents(), ms, id});
    command({"ZADD", keys.open_incidents(), ms, id});
    command({"GEOADD", keys.corroborable_places(1), "-118.211", "34.0335", id});
    command({"ZADD", keys.corroborable(), ms, id});
    command({"ZADD", keys.timers(), ms, id});
    command({"ZADD", keys.leased_timers(), ms, id});
    command({"ZADD", keys.incident_activity(), ms, id});
  }

  Purge purge(RetentionStore& node, const std::string& id, Clock::time_point cutoff) {
    std::promise<Purge> got;
    node.purge(id, cutoff, [&](Purge p, std::vector<std::string>) { got.set_value(p); });
    return got.get_future().get();
  }

  RetentionStore::Marked mark(const std::string& id, const std::vector<v1::Report>& reports) {
    std::promise<RetentionStore::Marked> got;
    node_a.mark_evidence(id, reports, Clock::now(),
                         [&](RetentionStore::Marked m) { got.set_value(m); });
    return got.get_future().get();
  }

  long long values_holding(const std::string& needle) {
    return integer(
        {"EVAL",
         "local n = 0 for _, k in ipairs(redis.call('KEYS', '*')) do local t = redis.call('TYPE', "
         "k).ok "
         "local v = {} if t == 'list' then v = redis.call('LRANGE', k, 0, -1) elseif t == 'stream' "
         "then "
         "for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do for _, f in ipairs(e[2]) do "
         "v[#v + 1] = f end end end for _, x in ipairs(v) do if string.find(x, ARGV[1], 1, true) "
         "then "
         "n = n + 1 end end end return n",
         "0", needle});
  }
};

TEST_F(RetentionStoreTest, TwoNodesPurgingAtOnceEachIncidentIsPurgedOnceAndNoKeyIsLeft) {
  const auto idle = Clock::now() - 1h;
  const int count = 50;
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    ids.push_back("inc-" + std::to_string(i));
    seed(ids.back(), idle);
  }
  // Both nodes read the same ids and purge every one of them, interleaved on two links.
  std::mutex mutex;
  std::map<Purge, int> verdicts;
  std::promise<void> all_done;
  int left = 2 * count;
  auto cutoff = Clock::now() - 1min;
  for (const auto& id : ids) {
    for (auto* node : {&node_a, &node_b}) {
      node->purge(id, cutoff, [&](Purge p, std::vector<std::string>) {
        bool last = false;
        {
          std::lock_guard lock(mutex);
          ++verdicts[p];
          last = --left == 0;
        }
        // Outside the lock: once this is set, the test returns and the mutex is gone.
        if (last) all_done.set_value();
      });
    }
  }
  all_done.get_future().get();
  EXPECT_EQ(verdicts[Purge::purged], count);
  EXPECT_EQ(verdicts[Purge::gone], count);
  EXPECT_EQ(integer({"DBSIZE"}), 0) << "a purged incident left a key behind";
}

TEST_F(RetentionStoreTest, EvidenceAndIncidentsActiveSinceTheCutoffAreKept) {
  auto now = Clock::now();
  seed("inc-kept", now - 1h, /*evidence=*/true);
  seed("inc-active", now - 1s);
  seed("inc-idle", now - 1h);
  auto cutoff = now - 1min;

  std::promise<std::vector<std::string>> idle;
  node_a.idle_since(cutoff, 100,
                    [&](Outcome, std::vector<std::string> ids) { idle.set_value(std::move(ids)); });
  EXPECT_EQ(idle.get_future().get(), (std::vector<std::string>{"inc-idle", "inc-kept"}));

  EXPECT_EQ(purge(node_a, "inc-kept", cutoff), Purge::evidence);
  EXPECT_EQ(purge(node_a, "inc-active", cutoff), Purge::active);
  EXPECT_EQ(purge(node_a, "inc-idle", cutoff), Purge::purged);
  EXPECT_EQ(integer({"EXISTS", keys.incident("inc-kept"), keys.incident_reports("inc-kept")}), 2);
  EXPECT_EQ(integer({"EXISTS", keys.incident("inc-active")}), 1);
  EXPECT_EQ(integer({"EXISTS", keys.incident("inc-idle")}), 0);
  // Evidence leaves the purge's index for good; the active one stays in it.
  EXPECT_EQ(command({"ZSCORE", keys.incident_activity(), "inc-kept"}).type,
            redis::Reply::Type::nil);
  EXPECT_NE(command({"ZSCORE", keys.incident_activity(), "inc-active"}).type,
            redis::Reply::Type::nil);
  // The purged one leaves the corroboration index too.
  EXPECT_EQ(command({"ZSCORE", keys.corroborable(), "inc-idle"}).type, redis::Reply::Type::nil);
  EXPECT_EQ(command({"ZSCORE", keys.corroborable_places(1), "inc-idle"}).type,
            redis::Reply::Type::nil);
  EXPECT_NE(command({"ZSCORE", keys.corroborable_places(1), "inc-active"}).type,
            redis::Reply::Type::nil);
}

TEST_F(RetentionStoreTest, APurgedIncidentLeavesTheCorroborationIndexWhicheverNodeWroteIt) {
  // Issue 22: a node now indexes an incident as "<id> <kind>" (keys.hpp, incidents:near); one
  // before it by the id alone, which seed writes.
  auto now = Clock::now();
  seed("inc-old", now - 1h);
  seed("inc-new", now - 1h);
  command({"ZREM", keys.corroborable(), "inc-new"});
  command({"ZADD", keys.corroborable(), std::to_string(core::to_ms(now - 1h)), "inc-new 1"});

  EXPECT_EQ(purge(node_a, "inc-old", now - 1min), Purge::purged);
  EXPECT_EQ(purge(node_a, "inc-new", now - 1min), Purge::purged);
  EXPECT_EQ(integer({"ZCARD", keys.corroborable()}), 0);
  EXPECT_EQ(integer({"ZCARD", keys.corroborable_places(1)}), 0);
}

TEST_F(RetentionStoreTest, MarkingEvidenceStripsTheCallerHashFromTheReportsAndTheLog) {
  seed("inc-1", Clock::now());
  seed("inc-2", Clock::now());
  auto first = report_with_hash("rep-inc-1", "hash-inc-1");
  auto second = report_with_hash("rep-b", "hash-b");
  command({"RPUSH", keys.incident_reports("inc-1"), second.SerializeAsString()});
  for (const auto& [incident, report] :
       {std::pair{"inc-1", first}, std::pair{"inc-1", second},
        std::pair{"inc-2", report_with_hash("rep-inc-2", "hash-inc-2")}})
    command(
        {"XADD", keys.report_log(), "*", "incident", incident, "pb", report.SerializeAsString()});

  // A list that changed since it was read (a report came in) is refused: read it again.
  EXPECT_EQ(mark("inc-1", {first}).outcome, Outcome::conflict);
  EXPECT_EQ(values_holding("hash-inc-1"), 2);

  auto marked = mark("inc-1", {first, second});
  EXPECT_EQ(marked.outcome, Outcome::ok);
  EXPECT_EQ(marked.log_entries_deleted, 2);
  EXPECT_EQ(values_holding("hash-inc-1"), 0);
  EXPECT_EQ(values_holding("hash-b"), 0);
  EXPECT_EQ(values_holding("hash-inc-2"), 2) << "another incident's reports were touched";
  EXPECT_EQ(integer({"XLEN", keys.report_log()}), 1);
  // The reports stay, without the hash.
  auto kept = command({"LRANGE", keys.incident_reports("inc-1"), "0", "-1"});
  ASSERT_EQ(kept.elements.size(), 2u);
  v1::Report stored;
  ASSERT_TRUE(stored.ParseFromString(kept.elements[1].str));
  EXPECT_EQ(stored.id(), "rep-b");
  EXPECT_EQ(stored.description(), "three vans at the car wash");
  EXPECT_TRUE(stored.caller_hash().empty());

  // Again: nothing changes, and the first mark's time stands.
  stored.clear_caller_hash();
  auto again = mark("inc-1", {report_with_hash("rep-inc-1", ""), stored});
  EXPECT_EQ(again.outcome, Outcome::repeated);
  EXPECT_EQ(again.since, marked.since);
  EXPECT_EQ(mark("inc-none", {}).outcome, Outcome::not_found);
}

TEST_F(RetentionStoreTest, LogsAreTrimmedExactlyByAgeAndStalePresenceIsDropped) {
  auto now = Clock::now();
  auto old_id = std::to_string(core::to_ms(now - 1h)) + "-0";
  for (const auto& stream :
       {keys.report_log(), keys.ack_log(), keys.alert_history("boyle-heights")}) {
    command({"XADD", stream, old_id, "pb", "old"});
    command({"XADD", stream, "*", "pb", "new"});
  }
  command({"ZADD", keys.presence(), std::to_string(core::to_ms(now - 1min)), "obs-bh node-gone"});
  command({"ZADD", keys.presence(), std::to_string(core::to_ms(now + 1min)), "obs-dt node-a"});
  command({"HSET", keys.availability(), "vol-bh", std::to_string(core::to_ms(now - 1min)), "att-bh",
           std::to_string(core::to_ms(now + 1h))});

  std::promise<long long> trimmed;
  node_a.trim(now - 1min, now - 1min, {"boyle-heights"}, now,
              [&](long long n) { trimmed.set_value(n); });
  EXPECT_EQ(trimmed.get_future().get(), 3) << "one entry from each stream";
  ASSERT_TRUE(test::wait_until([&] { return integer({"HLEN", keys.availability()}) == 1; }));
  for (const auto& stream :
       {keys.report_log(), keys.ack_log(), keys.alert_history("boyle-heights")}) {
    auto left = command({"XRANGE", stream, "-", "+"});
    ASSERT_EQ(left.elements.size(), 1u) << stream;
    EXPECT_EQ(left.elements[0].elements[1].elements[1].str, "new") << stream;
  }
  EXPECT_EQ(integer({"ZCARD", keys.presence()}), 1);
  EXPECT_EQ(command({"HGET", keys.availability(), "att-bh"}).type, redis::Reply::Type::string);
}

// Issue 15 item 7: what a purge removed stays in the AOF until a rewrite.
TEST_F(RetentionStoreTest, AnAofRewriteIsAskedForOncePerIntervalAndAgainWhenOneWasAlreadyRunning) {
  using Rewrite = RetentionStore::Rewrite;
  auto rewrite_if_due = [&](std::chrono::milliseconds interval) {
    std::promise<Rewrite> got;
    node_a.rewrite_if_due(interval, [&](Rewrite r) { got.set_value(r); });
    return got.get_future().get();
  };
  auto note_due = [&] {
    std::promise<bool> got;
    node_b.note_rewrite_due([&](bool noted) { got.set_value(noted); });
    return got.get_future().get();
  };
  auto rewriting = [&] {
    return command({"INFO", "persistence"}).str.find("aof_rewrite_in_progress:1") !=
           std::string::npos;
  };

  EXPECT_EQ(rewrite_if_due(1h), Rewrite::not_due) << "nothing purged yet";
  ASSERT_TRUE(note_due());
  EXPECT_EQ(rewrite_if_due(1h), Rewrite::started);
  EXPECT_EQ(integer({"EXISTS", keys.aof_rewrite_due()}), 0)
      << "the mark stays until a rewrite starts, no longer";
  EXPECT_GT(integer({"PTTL", keys.aof_rewrite_lease()}), 3'500'000);
  ASSERT_TRUE(test::wait_until([&] { return !rewriting(); }));

  // Another purge within the hour (any node): due, but not before the lease runs out.
  ASSERT_TRUE(note_due());
  EXPECT_EQ(rewrite_if_due(1h), Rewrite::rate_limited);
  EXPECT_EQ(integer({"EXISTS", keys.aof_rewrite_due()}), 1);
  command({"DEL", keys.aof_rewrite_lease()});

  // A rewrite already running may have forked before the purge: the lease goes back, the mark
  // stays, and the next pass asks again. (rdb-key-save-delay: a microsecond pause per key written,
  // so that a rewrite of a few keys lasts a second or more.)
  for (int i = 0; i < 20; ++i) command({"SET", "test:filler:" + std::to_string(i), "x"});
  ASSERT_EQ(command({"CONFIG", "SET", "rdb-key-save-delay", "100000"}).str, "OK");
  ASSERT_EQ(command({"BGREWRITEAOF"}).type, redis::Reply::Type::status);
  ASSERT_TRUE(rewriting());
  EXPECT_EQ(rewrite_if_due(1h), Rewrite::in_progress);
  EXPECT_EQ(integer({"EXISTS", keys.aof_rewrite_due()}), 1);
  EXPECT_EQ(integer({"EXISTS", keys.aof_rewrite_lease()}), 0);
  ASSERT_EQ(command({"CONFIG", "SET", "rdb-key-save-delay", "0"}).str, "OK");
  ASSERT_TRUE(test::wait_until([&] { return !rewriting(); }, 30s));
  EXPECT_EQ(rewrite_if_due(1h), Rewrite::started);
  EXPECT_EQ(integer({"EXISTS", keys.aof_rewrite_due()}), 0);
}

}  // namespace
}  // namespace puente::store
