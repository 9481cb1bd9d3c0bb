// How a Connection finds its primary through sentinels, and what it refuses: sentinels that are
// down or do not know the master are skipped; a sentinel that accepts but never answers costs
// one deadline; a server named as primary that is a replica (ROLE) is not written to; a primary
// demoted under an open link (-READONLY) is left for the one the sentinels name next.
// FakeSentinel stands in for the sentinels so the test decides what they say; the Redis
// servers are real. No wall-clock assertions.

#include "fake_sentinel.hpp"
#include "free_port.hpp"
#include "redis_fixture.hpp"

#include <atomic>
#include <string_view>

namespace puente::redis::testing {
namespace {

class SentinelDiscoveryTest : public RedisFixture {
 protected:
  // Options that find Redis only through `sentinels` (the endpoint is a port nobody uses).
  ConnectionOptions through(std::vector<unsigned short> sentinels) const {
    auto options = this->options();
    options.endpoint.port = 1;
    options.master_name = "puente";
    for (const unsigned short port : sentinels) {
      options.sentinels.push_back(Endpoint{"127.0.0.1", port});
    }
    return options;
  }

  static unsigned short port_of(Connection& connection) {
    const auto port = run_command(connection, {"CONFIG", "GET", "port"});
    if (port.ec || port.reply.elements.size() != 2) {
      return 0;
    }
    return static_cast<unsigned short>(std::stoul(port.reply.elements[1].str));
  }

  FakeSentinel sentinel_;
};

TEST_F(SentinelDiscoveryTest, ConnectsWhereTheSentinelSaysSkippingOnesThatCannotAnswer) {
  FakeSentinel ignorant;  // answers nil: it monitors no master of that name
  sentinel_.name_primary(redis_.port());
  const puente::test::RefusedPort down;  // every connection refused

  auto connection = connect(through({down.port(), ignorant.port(), sentinel_.port()}));
  ASSERT_TRUE(connection->connected());
  EXPECT_EQ(port_of(*connection), redis_.port());
  EXPECT_GE(ignorant.answered(), 1) << "the sentinels are asked in the order given";
  EXPECT_EQ(run(*connection, {"SET", "key", "value"}).reply.str, "OK");
  connection->stop();
}

TEST_F(SentinelDiscoveryTest, ASentinelThatAcceptsButNeverAnswersIsSkippedAtItsDeadline) {
  // It takes the question and never answers: only the deadline moves on.
  const puente::test::SilentListener stalled;
  sentinel_.name_primary(redis_.port());

  auto options = through({stalled.port(), sentinel_.port()});
  options.connect_timeout = 300ms;
  auto connection = connect(options);
  EXPECT_TRUE(connection->connected());
  EXPECT_EQ(port_of(*connection), redis_.port());
  connection->stop();
}

TEST_F(SentinelDiscoveryTest, DestroyedWhileAskingTheSentinelsLeavesNothingBehind) {
  // The question stays unanswered (nobody accepts), so the query is in flight when the last
  // reference goes. Under AddressSanitizer a handler touching the freed connection would fail.
  const puente::test::SilentListener stalled;

  for (int i = 0; i < 5; ++i) {
    auto options = through({stalled.port()});
    options.connect_timeout = 100ms;
    auto connection = Connection::create(io_.executor(), options);
    connection->start();
    on_io_thread([] {});  // start() has run: the query is under way
    connection.reset();
    on_io_thread([] {});  // the posted cancel has run
  }
  // The fixture's own connection still works: the io thread survived.
  EXPECT_EQ(run(*connect(), {"PING"}).reply.str, "PONG");
}

TEST_F(SentinelDiscoveryTest, AReplicaNamedAsPrimaryIsNeverUsed) {
  puente::test::RedisServer replica({"--replicaof", "127.0.0.1", std::to_string(redis_.port())});
  sentinel_.name_primary(replica.port());

  auto connection = Connection::create(io_.executor(), through({sentinel_.port()}));
  // Shared: the last link change may be reported after this test's body has ended.
  auto ups = std::make_shared<std::atomic<int>>(0);
  connection->on_link_change([ups](bool up) { ups->fetch_add(up ? 1 : 0); });
  connection->start();

  // Every attempt asks the sentinel, connects to the replica, sees ROLE "slave" and gives up.
  ASSERT_TRUE(puente::test::wait_until([&] { return sentinel_.answered() >= 3; }));
  EXPECT_FALSE(connection->connected());
  EXPECT_EQ(ups->load(), 0);
  EXPECT_EQ(run(*connection, {"SET", "key", "value"}).ec, Errc::not_connected);

  // Once the sentinel names a master, the next attempt gets there.
  sentinel_.name_primary(redis_.port());
  ASSERT_TRUE(puente::test::wait_until([&] { return connection->connected(); }));
  EXPECT_EQ(port_of(*connection), redis_.port());
  EXPECT_EQ(run(*connection, {"SET", "key", "value"}).reply.str, "OK");
  connection->stop();
}

TEST_F(SentinelDiscoveryTest, ReadonlyReplyDropsTheLinkAndTheNextPrimaryIsFound) {
  puente::test::RedisServer next;
  sentinel_.name_primary(redis_.port());
  auto connection = connect(through({sentinel_.port()}));
  ASSERT_EQ(run(*connection, {"SET", "key", "first"}).reply.str, "OK");

  // A failover that Sentinel could not announce to us: the primary becomes a replica of
  // another server while our link to it stays open. (Sentinel also kills the old primary's
  // clients when it can reach it; this is the case where that did not happen.)
  auto old_primary = connect(options());
  ASSERT_EQ(run(*old_primary, {"REPLICAOF", "127.0.0.1", std::to_string(next.port())}).reply.str,
            "OK");
  old_primary->stop();
  sentinel_.name_primary(next.port());

  // The write is refused and the caller sees why; the link is dropped behind it.
  const auto refused = run(*connection, {"SET", "key", "second"});
  ASSERT_FALSE(refused.ec) << refused.ec.message();
  ASSERT_TRUE(refused.reply.is_error());
  EXPECT_TRUE(std::string_view(refused.reply.str).starts_with("READONLY")) << refused.reply.str;

  const auto retried = run_command_until_ok(*connection, {"SET", "key", "second"});
  ASSERT_FALSE(retried.ec) << retried.ec.message();
  EXPECT_EQ(retried.reply.str, "OK");
  EXPECT_EQ(port_of(*connection), next.port());
  EXPECT_GE(connection->reconnects(), 1u);
  connection->stop();
}

}  // namespace
}  // namespace puente::redis::testing
