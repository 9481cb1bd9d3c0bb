// Connection and Subscriber bound to one slot of a real Redis Cluster (issue 23; six
// redis-server processes, tests/support/redis_cluster.hpp): they find the slot's primary from
// any node, wait out -ASK while the slot migrates, follow -MOVED when the slot is moved to
// another primary, and follow a failover when the primary is killed. A network's keys and channels
// share one hash tag, "{la}" here, so one slot is all a link needs.
//
// No wall-clock assertions: every wait is bounded (30 s, a failover with cluster-node-timeout
// 1000 ms takes a few seconds) and only outcomes are checked.

#include "inbox.hpp"
#include "redis/key_slot.hpp"
#include "redis/subscriber.hpp"
#include "redis_cluster.hpp"
#include "redis_fixture.hpp"
#include "redis_probe.hpp"

#include <algorithm>
#include <atomic>

namespace puente::redis::testing {
namespace {

constexpr std::chrono::milliseconds cluster_wait = puente::test::RedisCluster::default_deadline;
const std::string prefix = "puente:{la}:";

class ClusterLinkTest : public ::testing::Test {
 protected:
  const std::uint16_t slot_ = key_slot(prefix);

  // Options bound to the slot, seeded with `seeds` only (the others are learned).
  ConnectionOptions options(std::vector<unsigned short> seeds = {}) const {
    if (seeds.empty()) seeds = cluster_.ports();
    ConnectionOptions options = test_options();
    options.endpoint.port = 1;  // must not be used: a cluster link goes where the slot is
    for (const auto port : seeds) options.cluster.push_back(Endpoint{"127.0.0.1", port});
    options.cluster_slot = slot_;
    return options;
  }

  std::shared_ptr<Connection> connect(ConnectionOptions options) {
    auto connection = Connection::create(io_.executor(), std::move(options));
    connection->start();
    EXPECT_TRUE(puente::test::wait_until([&] { return connection->connected(); }, cluster_wait))
        << "no link to the primary of slot " << slot_;
    return connection;
  }

  // The port of the node a connection is linked to, as that node sees itself.
  static unsigned short port_of(Connection& connection) {
    const auto port = run_command(connection, {"CONFIG", "GET", "port"});
    if (port.ec || port.reply.elements.size() != 2) return 0;
    return static_cast<unsigned short>(std::stoul(port.reply.elements[1].str));
  }

  unsigned short owner() const { return *cluster_.primary_of_slot(slot_, cluster_.ports()[0]); }
  // A primary that does not serve the slot.
  unsigned short other_primary() const {
    for (const auto port : cluster_.primaries(cluster_.ports()[0]))
      if (port != owner()) return port;
    ADD_FAILURE() << "no second primary";
    return 0;
  }

  std::shared_ptr<Subscriber> subscriber(const std::string& channel) {
    auto subscriber = Subscriber::create(io_.executor(), options());
    subscriber->on_message([this](const std::string& channel, const std::string& payload) {
      inbox_.add(channel, payload);
    });
    subscriber->on_resubscribed([this] { resubscribed_.fetch_add(1); });
    subscriber->subscribe({channel});
    subscriber->start();
    return subscriber;
  }

  // SPUBLISH until one shard subscriber has it (the subscription may still be moving).
  static bool published_to_one(Connection& publisher, const std::string& channel,
                               const std::string& payload) {
    return puente::test::wait_until(
        [&] {
          const auto sent = run_command(publisher, {"SPUBLISH", channel, payload});
          return !sent.ec && sent.reply.integer == 1;
        },
        cluster_wait);
  }

  puente::test::RedisCluster cluster_;
  Inbox inbox_;
  std::atomic<int> resubscribed_{0};
  puente::test::IoThreads io_{1};
};

TEST_F(ClusterLinkTest, FindsThePrimaryOfItsSlotFromAnyNodeAndRunsCommandsAndScripts) {
  // Told only of a node that does not serve the slot: CLUSTER SLOTS names the one that does.
  auto connection = connect(options({other_primary()}));
  EXPECT_EQ(port_of(*connection), owner());

  const auto set = run_command(*connection, {"HSET", prefix + "incident:1", "state", "open"});
  ASSERT_FALSE(set.ec) << set.ec.message();
  ASSERT_FALSE(set.reply.is_error()) << set.reply.str;
  // A script touching two keys of the network: one slot, so the cluster runs it.
  const auto script = run_command(
      *connection, {"EVAL",
                    "redis.call('RPUSH', KEYS[2], redis.call('HGET', KEYS[1], 'state')) "
                    "return redis.call('LLEN', KEYS[2])",
                    "2", prefix + "incident:1", prefix + "log"});
  ASSERT_FALSE(script.ec) << script.ec.message();
  ASSERT_FALSE(script.reply.is_error()) << script.reply.str;
  EXPECT_EQ(script.reply.integer, 1);

  const auto stored = puente::test::ask_redis(owner(), {"LINDEX", prefix + "log", "0"});
  ASSERT_TRUE(stored);
  EXPECT_EQ(std::string(stored->str, stored->len), "open");
  connection->stop();
}

TEST_F(ClusterLinkTest, FollowsMovedWhenTheSlotIsMovedToAnotherPrimary) {
  auto connection = connect(options());
  const unsigned short first = owner();
  ASSERT_EQ(port_of(*connection), first);
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "before", "kept"}).reply.is_error());

  const unsigned short second = other_primary();
  cluster_.move_slot(slot_, second);
  ASSERT_EQ(cluster_.primary_of_slot(slot_, second), second);

  // The link is still on the old owner, which answers -MOVED; the caller never sees it.
  const auto read = run_command(*connection, {"GET", prefix + "before"});
  ASSERT_FALSE(read.ec) << read.ec.message();
  ASSERT_FALSE(read.reply.is_error()) << read.reply.str;
  EXPECT_EQ(read.reply.str, "kept");
  EXPECT_EQ(port_of(*connection), second);
  EXPECT_GE(connection->reconnects(), 1u);
  connection->stop();
}

TEST_F(ClusterLinkTest, WaitsOutAMigrationOfItsSlotAndRunsTheCommandOnTheNewOwner) {
  auto connection = connect(options());
  const unsigned short from = owner();
  const unsigned short to = other_primary();
  auto id_of = [](unsigned short port) {
    const auto id = puente::test::ask_redis(port, {"CLUSTER", "MYID"});
    return std::string(id->str, id->len);
  };
  auto ok = [](unsigned short port, const std::vector<std::string>& command) {
    const auto reply = puente::test::ask_redis(port, command);
    return reply && reply->type == REDIS_REPLY_STATUS;
  };
  // How many -ASK the old owner has answered (INFO errorstats).
  auto asks = [&] {
    const auto info = puente::test::ask_redis(from, {"INFO", "errorstats"});
    const std::string text = info ? std::string(info->str, info->len) : "";
    const auto at = text.find("errorstat_ASK:count=");
    return at == std::string::npos ? 0 : std::stoi(text.substr(at + 20));
  };
  const std::string slot = std::to_string(slot_);
  // The slot half-way through a reshard: a key the old owner does not hold gets -ASK there.
  ASSERT_TRUE(ok(to, {"CLUSTER", "SETSLOT", slot, "IMPORTING", id_of(from)}));
  ASSERT_TRUE(ok(from, {"CLUSTER", "SETSLOT", slot, "MIGRATING", id_of(to)}));

  Answers answers(1);
  connection->execute({"SET", prefix + "new", "during the migration"}, answers.handler(0));
  ASSERT_TRUE(puente::test::wait_until([&] { return asks() >= 2; }))
      << "the connection's command was not answered -ASK";
  // The migration ends (its keys moved: none here); the old owner now answers -MOVED.
  for (const auto port : {to, from})
    ASSERT_TRUE(ok(port, {"CLUSTER", "SETSLOT", slot, "NODE", id_of(to)}));

  ASSERT_TRUE(answers.wait_all());
  const auto set = answers.outcome(0);
  ASSERT_FALSE(set.ec) << set.ec.message();
  EXPECT_EQ(set.reply.str, "OK") << "the caller got the cluster's redirect";
  const auto stored = puente::test::ask_redis(to, {"GET", prefix + "new"});
  ASSERT_TRUE(stored && stored->type == REDIS_REPLY_STRING);
  EXPECT_EQ(std::string(stored->str, stored->len), "during the migration");
  EXPECT_EQ(answers.calls(0), 1);
  connection->stop();
}

TEST_F(ClusterLinkTest, SubscriberFollowsItsSlotToTheNewPrimaryAndSaysSo) {
  const std::string channel = prefix + "live:boyle-heights";
  auto publisher = connect(options());
  auto live = subscriber(channel);
  ASSERT_TRUE(published_to_one(*publisher, channel, "before"));
  ASSERT_TRUE(puente::test::wait_until([&] { return inbox_.has(channel, "before"); }));

  // Redis tells shard subscribers `sunsubscribe` when their slot leaves the node.
  cluster_.move_slot(slot_, other_primary());
  ASSERT_TRUE(puente::test::wait_until([&] { return resubscribed_.load() >= 1; }, cluster_wait))
      << "the subscriber did not subscribe again on the slot's new primary";
  ASSERT_TRUE(published_to_one(*publisher, channel, "after the move"));
  EXPECT_TRUE(puente::test::wait_until([&] { return inbox_.has(channel, "after the move"); }));
  EXPECT_EQ(port_of(*publisher), owner());

  live->stop();
  publisher->stop();
}

TEST_F(ClusterLinkTest, BothFollowAFailoverOfTheSlotsPrimary) {
  const std::string channel = prefix + "board";
  auto connection = connect(options());
  auto live = subscriber(channel);
  ASSERT_TRUE(published_to_one(*connection, channel, "before"));
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "acked", "1"}).reply.is_error());
  ASSERT_EQ(run_command(*connection, {"WAIT", "1", "5000"}).reply.integer, 1);

  const unsigned short killed = owner();
  cluster_.node(killed).kill();
  const unsigned short witness =
      killed == cluster_.ports()[0] ? cluster_.ports()[1] : cluster_.ports()[0];
  ASSERT_TRUE(puente::test::wait_until(
      [&] {
        const auto now = cluster_.primary_of_slot(slot_, witness);
        return now && *now != killed;
      },
      cluster_wait))
      << "no replica took over";

  const auto read = run_command_until_ok(*connection, {"GET", prefix + "acked"}, cluster_wait);
  EXPECT_EQ(read.reply.str, "1") << "an acknowledged write was lost";
  EXPECT_NE(port_of(*connection), killed);
  ASSERT_TRUE(puente::test::wait_until([&] { return resubscribed_.load() >= 1; }, cluster_wait));
  ASSERT_TRUE(published_to_one(*connection, channel, "after the failover"));
  EXPECT_TRUE(puente::test::wait_until([&] { return inbox_.has(channel, "after the failover"); }));
  live->stop();
  connection->stop();
}

TEST_F(ClusterLinkTest, KeyspaceNotificationsArriveOnTheSlotsPrimary) {
  // The token records' changes: classic pub/sub, node-local, on the same subscriber link.
  const std::string channel = "__keyspace@0__:" + prefix + "tokens";
  auto connection = connect(options());
  ASSERT_FALSE(
      run_command(*connection, {"CONFIG", "SET", "notify-keyspace-events", "Kh"}).reply.is_error());
  auto live = subscriber(channel);
  EXPECT_TRUE(puente::test::wait_until(
      [&] {
        run_command(*connection, {"HSET", prefix + "tokens", "t1", "record"});
        return inbox_.has(channel, "hset");
      },
      cluster_wait));
  live->stop();
  connection->stop();
}

}  // namespace
}  // namespace puente::redis::testing
