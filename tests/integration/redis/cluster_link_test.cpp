// Connection and Subscriber bound to one slot of a real Redis Cluster (issue 23; six
// redis-server processes, tests/support/redis_cluster.hpp): they find the slot's primary from
// any node, ask the new owner (ASKING, on a side link) for a key already moved while the slot
// migrates, retry -TRYAGAIN until the keys are together, follow -MOVED when the slot is moved to
// another primary, and follow a failover when the primary is killed. A network's keys and channels
// share one hash tag, "{la}" here, so one slot is all a link needs.
//
// No wall-clock assertions: every wait is bounded (30 s, a failover with cluster-node-timeout
// 1000 ms takes a few seconds) and only outcomes are checked.

#include "inbox.hpp"
#include "redis/key_slot.hpp"
#include "redis/script.hpp"
#include "redis/subscriber.hpp"
#include "redis_cluster.hpp"
#include "redis_fixture.hpp"
#include "redis_probe.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

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

  // The slot half-way through a reshard, set by hand as redis-cli does: IMPORTING on the new
  // owner, MIGRATING on the old one; keys move one MIGRATE at a time.
  struct Migration {
    unsigned short from, to;
  };
  static std::string id_of(unsigned short port) {
    const auto id = puente::test::ask_redis(port, {"CLUSTER", "MYID"});
    return id ? std::string(id->str, id->len) : "";
  }
  static bool ok(unsigned short port, const std::vector<std::string>& command) {
    const auto reply = puente::test::ask_redis(port, command);
    return reply && reply->type == REDIS_REPLY_STATUS;
  }
  Migration start_migration() const {
    const Migration migration{owner(), other_primary()};
    const std::string slot = std::to_string(slot_);
    EXPECT_TRUE(ok(migration.to, {"CLUSTER", "SETSLOT", slot, "IMPORTING", id_of(migration.from)}));
    EXPECT_TRUE(ok(migration.from, {"CLUSTER", "SETSLOT", slot, "MIGRATING", id_of(migration.to)}));
    return migration;
  }
  static bool migrate(const Migration& migration, const std::string& key) {
    return ok(migration.from,
              {"MIGRATE", "127.0.0.1", std::to_string(migration.to), key, "0", "10000"});
  }
  // Its keys moved: the slot is the new owner's (the target first, as redis-cli does).
  void finish_migration(const Migration& migration) const {
    for (const auto port : {migration.to, migration.from})
      ASSERT_TRUE(
          ok(port, {"CLUSTER", "SETSLOT", std::to_string(slot_), "NODE", id_of(migration.to)}));
  }
  // How many errors of one kind (ASK, TRYAGAIN) the node has answered (INFO errorstats).
  static int errors(unsigned short port, const std::string& kind) {
    const auto info = puente::test::ask_redis(port, {"INFO", "errorstats"});
    const std::string text = info ? std::string(info->str, info->len) : "";
    const std::string field = "errorstat_" + kind + ":count=";
    const auto at = text.find(field);
    return at == std::string::npos ? 0 : std::stoi(text.substr(at + field.size()));
  }
  // The keys of the slot a node holds (an importing node answers this, not GET, without ASKING).
  std::vector<std::string> keys_in_slot(unsigned short port) const {
    const auto keys =
        puente::test::ask_redis(port, {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot_), "100"});
    std::vector<std::string> held;
    for (std::size_t i = 0; keys && i < keys->elements; ++i)
      held.emplace_back(keys->element[i]->str, keys->element[i]->len);
    return held;
  }
  // The CLIENT LIST lines of the node's clients named `name` ("id=7 addr=... user=...").
  static std::vector<std::string> clients_named(unsigned short port, const std::string& name) {
    const auto list = puente::test::ask_redis(port, {"CLIENT", "LIST"});
    std::istringstream lines(list ? std::string(list->str, list->len) : "");
    std::vector<std::string> named;
    for (std::string line; std::getline(lines, line);)
      if (line.find(" name=" + name + " ") != std::string::npos) named.push_back(line);
    return named;
  }

  puente::test::TempDir dir_{"puente-cluster-link-"};
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

// A reshard's end is a moment of re-link: what a caller sends meanwhile waits for the new owner
// (a report refused then went to the node's journal, answered 202 where 201 was due).
TEST_F(ClusterLinkTest, CommandsSentWhileItFollowsMovedWaitForTheNewOwner) {
  auto connection = connect(options());
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "before", "kept"}).reply.is_error());
  const unsigned short second = other_primary();
  cluster_.move_slot(slot_, second);

  // As the old link goes (its -MOVED answered), before the new owner's link is up (the io
  // thread runs this callback before the connect can complete), a caller sends two more. What
  // the callback holds is shared: the connection keeps it past this test's frame.
  auto answers = std::make_shared<Answers>(3);
  auto sent_while_moving = std::make_shared<std::atomic<bool>>(false);
  connection->on_link_change(
      [answers, sent_while_moving, weak = std::weak_ptr<Connection>(connection)](bool up) {
        const auto link = weak.lock();
        if (up || !link || sent_while_moving->exchange(true)) return;
        link->execute({"GET", prefix + "before"}, answers->handler(1));
        link->execute({"SET", prefix + "during", "written"}, answers->handler(2));
      });
  connection->execute({"GET", prefix + "before"}, answers->handler(0));  // answered -MOVED
  ASSERT_TRUE(answers->wait_all());
  ASSERT_TRUE(sent_while_moving->load()) << "the link never went down for -MOVED";
  for (std::size_t i = 0; i < 3; ++i) {
    const auto outcome = answers->outcome(i);
    EXPECT_FALSE(outcome.ec) << "command " << i << ": " << outcome.ec.message();
    EXPECT_FALSE(outcome.reply.is_error()) << "command " << i << ": " << outcome.reply.str;
  }
  EXPECT_EQ(answers->outcome(0).reply.str, "kept");
  EXPECT_EQ(answers->outcome(1).reply.str, "kept");
  EXPECT_EQ(answers->outcome(2).reply.str, "OK");
  EXPECT_EQ(port_of(*connection), second);
  connection->stop();
}

TEST_F(ClusterLinkTest, AsksTheNewOwnerForAKeyAlreadyMovedWhileTheSlotMigrates) {
  // The slot's nodes know a user of the network's own (the default user stays on for the
  // probes): the side link to the new owner must sign in as the slot's link does.
  for (const auto port : {owner(), other_primary()})
    ASSERT_TRUE(
        ok(port, {"ACL", "SETUSER", "puente", "on", ">side-link-password", "~*", "&*", "+@all"}));
  std::ofstream(dir_.path() / "password") << "side-link-password\n";
  ConnectionOptions with_user = options();
  with_user.user = "puente";
  with_user.password_file = (dir_.path() / "password").string();
  // Shorter than the migration, which stays open until the end: waiting it out fails.
  with_user.command_timeout = 2s;
  auto connection = connect(with_user);
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "moved", "moved first"}).ec);
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "stays", "moved last"}).ec);
  const Migration migration = start_migration();
  ASSERT_TRUE(migrate(migration, prefix + "moved"));

  const auto moved = run_command(*connection, {"GET", prefix + "moved"});
  ASSERT_FALSE(moved.ec) << moved.ec.message() << ": the migration was waited out";
  EXPECT_EQ(moved.reply.str, "moved first");
  EXPECT_GE(errors(migration.from, "ASK"), 1) << "the old owner never answered -ASK";
  // ASK is for one command: the next goes to the old owner, which still serves this key (the
  // new owner would answer nil after ASKING, -MOVED without).
  const auto stays = run_command(*connection, {"GET", prefix + "stays"});
  ASSERT_FALSE(stays.ec) << stays.ec.message();
  EXPECT_EQ(stays.reply.str, "moved last");
  // A new key goes to the new owner; a script's EVALSHA too (NOSCRIPT there: EVAL, asked again).
  ASSERT_EQ(run_command(*connection, {"SET", prefix + "new", "written"}).reply.str, "OK");
  const auto held = keys_in_slot(migration.to);
  EXPECT_NE(std::find(held.begin(), held.end(), prefix + "new"), held.end())
      << "not on the new owner";
  Answers script(1);
  Script("return redis.call('GET', KEYS[1])")
      .run(*connection, {prefix + "moved"}, {}, script.handler(0));
  ASSERT_TRUE(script.wait_all());
  ASSERT_FALSE(script.outcome(0).ec) << script.outcome(0).ec.message();
  EXPECT_EQ(script.outcome(0).reply.str, "moved first");

  // The side link: on the new owner, signed in as the network's user.
  const auto side = clients_named(migration.to, "puente-test");
  ASSERT_EQ(side.size(), 1u) << "no side link on the new owner";
  EXPECT_NE(side[0].find(" user=puente "), std::string::npos) << side[0];
  const std::string side_id = side[0].substr(0, side[0].find(' '));

  // The migration ends: the old owner answers -MOVED, the link follows, the side link goes.
  ASSERT_TRUE(migrate(migration, prefix + "stays"));
  finish_migration(migration);
  EXPECT_EQ(run_command(*connection, {"GET", prefix + "stays"}).reply.str, "moved last");
  EXPECT_EQ(port_of(*connection), migration.to);
  EXPECT_TRUE(puente::test::wait_until([&] {
    for (const auto& client : clients_named(migration.to, "puente-test"))
      if (client.starts_with(side_id + " ")) return false;
    return true;
  })) << "the side link outlived the migration";
  connection->stop();
}

TEST_F(ClusterLinkTest, RetriesTryAgainUntilTheMigrationBringsTheKeysTogether) {
  auto connection = connect(options());
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "first", "1"}).ec);
  ASSERT_FALSE(run_command(*connection, {"SET", prefix + "second", "2"}).ec);
  const Migration migration = start_migration();
  ASSERT_TRUE(migrate(migration, prefix + "first"));

  // Two keys split between the nodes: the cluster answers -TRYAGAIN until both are on one.
  Answers answers(1);
  connection->execute({"MGET", prefix + "first", prefix + "second"}, answers.handler(0));
  ASSERT_TRUE(puente::test::wait_until([&] {
    return errors(migration.from, "TRYAGAIN") + errors(migration.to, "TRYAGAIN") >= 2;
  })) << "the command was not answered -TRYAGAIN, or not sent again";
  EXPECT_EQ(answers.total(), 0u);
  ASSERT_TRUE(migrate(migration, prefix + "second"));

  ASSERT_TRUE(answers.wait_all());
  const auto both = answers.outcome(0);
  ASSERT_FALSE(both.ec) << both.ec.message();
  ASSERT_EQ(both.reply.elements.size(), 2u) << both.reply.str;
  EXPECT_EQ(both.reply.elements[0].str, "1");
  EXPECT_EQ(both.reply.elements[1].str, "2");
  EXPECT_EQ(answers.calls(0), 1);
  finish_migration(migration);
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
