// Connection and Subscriber given Redis Sentinels instead of one Redis, against a real
// deployment on loopback (SentinelCluster: primary, replica, three sentinels, quorum 2). The
// primary is killed with SIGKILL; the sentinels promote the replica; the connection and the
// subscriber find the new primary by themselves.
//
// AOF: both servers run with `appendonly yes` and `appendfsync everysec`, the production setting
// (deploy/redis/redis.conf). It does not decide what survives here, and the test does not
// pretend it does: the killed primary's disk is never read again (Sentinel would make it a
// replica of the new primary, which replaces its data). What survives a failover is what had
// reached the replica, so the test makes sure with `WAIT 1` that the write acknowledged before
// the kill was replicated, then finds it on the promoted server. Without WAIT, Redis
// replication is asynchronous and a write acknowledged in the last milliseconds before a crash
// can be lost by a failover whatever the fsync policy.
//
// No wall-clock assertions: every wait is bounded (30 s, a failover takes a few seconds) and
// only outcomes are checked.

#include "inbox.hpp"
#include "redis/subscriber.hpp"
#include "redis_fixture.hpp"
#include "sentinel_cluster.hpp"

#include <atomic>

namespace puente::redis::testing {
namespace {

constexpr std::chrono::milliseconds failover_wait = puente::test::SentinelCluster::default_deadline;

class SentinelFailoverTest : public ::testing::Test {
 protected:
  ConnectionOptions options() const {
    ConnectionOptions options;
    // Must not be used: with sentinels the link goes where they say. A port nothing listens on.
    options.endpoint.port = 1;
    for (const unsigned short port : cluster_.sentinel_ports()) {
      options.sentinels.push_back(Endpoint{cluster_.host(), port});
    }
    options.master_name = puente::test::SentinelCluster::master_name;
    options.name = "puente-test";
    options.connect_timeout = 2s;
    options.command_timeout = 5s;
    options.reconnect_min = 20ms;
    options.reconnect_max = 500ms;
    return options;
  }

  std::shared_ptr<Connection> connect(ConnectionOptions options) {
    auto connection = Connection::create(io_.executor(), std::move(options));
    connection->start();
    EXPECT_TRUE(puente::test::wait_until([&] { return connection->connected(); }, failover_wait))
        << "no link to the primary the sentinels name";
    return connection;
  }

  // The port of the server a connection is linked to, as that server sees itself.
  static unsigned short port_of(Connection& connection) {
    const auto port = run_command(connection, {"CONFIG", "GET", "port"});
    if (port.ec || port.reply.elements.size() != 2) {
      return 0;
    }
    return static_cast<unsigned short>(std::stoul(port.reply.elements[1].str));
  }

  // A plain connection (no sentinels) to one server, to check what is stored there.
  std::shared_ptr<Connection> direct(unsigned short port) {
    auto options = this->options();
    options.sentinels.clear();
    options.endpoint = Endpoint{cluster_.host(), port};
    return connect(std::move(options));
  }

  puente::test::SentinelCluster cluster_;
  // Filled by the subscriber on the io thread: declared before io_, so they outlive its handlers.
  Inbox inbox_;
  std::atomic<int> resubscribed_{0};
  puente::test::IoThreads io_{1};
};

TEST_F(SentinelFailoverTest, ConnectionFollowsTheFailoverAndWritesToThePromotedReplica) {
  auto connection = connect(options());
  ASSERT_TRUE(connection->connected());
  EXPECT_EQ(port_of(*connection), cluster_.primary_port());

  const auto before = run_command(*connection, {"SET", "report:1", "before the failover"});
  ASSERT_FALSE(before.ec) << before.ec.message();
  ASSERT_FALSE(before.reply.is_error()) << before.reply.str;
  // Acknowledged by the replica too: this write must survive the primary's death.
  const auto replicated = run_command(*connection, {"WAIT", "1", "5000"});
  ASSERT_EQ(replicated.reply.integer, 1) << "the replica did not acknowledge the write";

  cluster_.kill_primary();
  ASSERT_TRUE(cluster_.wait_for_primary(cluster_.replica_port()))
      << "the sentinels did not promote the replica";

  // Commands fail fast (not_connected) until the link is back on the new primary.
  const auto after =
      run_command_until_ok(*connection, {"SET", "report:2", "after the failover"}, failover_wait);
  ASSERT_FALSE(after.ec) << after.ec.message();
  ASSERT_FALSE(after.reply.is_error()) << after.reply.str;
  EXPECT_EQ(port_of(*connection), cluster_.replica_port());
  EXPECT_GE(connection->reconnects(), 1u);

  // Asked directly, the promoted server has both writes.
  auto promoted = direct(cluster_.replica_port());
  EXPECT_EQ(run_command(*promoted, {"GET", "report:1"}).reply.str, "before the failover");
  EXPECT_EQ(run_command(*promoted, {"GET", "report:2"}).reply.str, "after the failover");
  promoted->stop();
  connection->stop();
}

TEST_F(SentinelFailoverTest, SubscriberResubscribesOnThePromotedReplica) {
  auto publisher = connect(options());
  auto subscriber = Subscriber::create(io_.executor(), options());
  subscriber->on_message([this](const std::string& channel, const std::string& payload) {
    inbox_.add(channel, payload);
  });
  subscriber->on_resubscribed([this] { resubscribed_.fetch_add(1); });
  subscriber->subscribe({"alerts:boyle-heights"});
  subscriber->start();

  // SPUBLISH answers how many subscribers got the message: 1 once the subscription holds.
  ASSERT_TRUE(puente::test::wait_until([&] {
    return run_command(*publisher, {"SPUBLISH", "alerts:boyle-heights", "before"}).reply.integer ==
           1;
  }));
  ASSERT_TRUE(
      puente::test::wait_until([&] { return inbox_.has("alerts:boyle-heights", "before"); }));

  cluster_.kill_primary();
  ASSERT_TRUE(cluster_.wait_for_primary(cluster_.replica_port()));

  // on_resubscribed is the owner's cue to replay from history what pub/sub dropped meanwhile.
  ASSERT_TRUE(puente::test::wait_until([&] { return resubscribed_.load() >= 1; }, failover_wait));
  EXPECT_TRUE(subscriber->connected());
  EXPECT_GE(subscriber->reconnects(), 1u);

  const auto published = run_command_until_ok(
      *publisher, {"SPUBLISH", "alerts:boyle-heights", "after the failover"}, failover_wait);
  ASSERT_FALSE(published.ec) << published.ec.message();
  EXPECT_EQ(published.reply.integer, 1) << "the subscriber is not on the new primary";
  EXPECT_EQ(port_of(*publisher), cluster_.replica_port());
  EXPECT_TRUE(puente::test::wait_until(
      [&] { return inbox_.has("alerts:boyle-heights", "after the failover"); }));

  subscriber->stop();
  publisher->stop();
}

}  // namespace
}  // namespace puente::redis::testing
