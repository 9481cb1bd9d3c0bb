// Connection when Redis misbehaves: restarted, killed, stalled (SIGSTOP). No wall-clock
// assertions: only which error each command gets, and that the link comes back by itself.

#include "redis_fixture.hpp"

namespace puente::redis::testing {
namespace {

using ConnectionFaultTest = RedisFixture;

TEST_F(ConnectionFaultTest, ReconnectsByItselfAfterRedisRestart) {
  auto connection = connect();
  ASSERT_FALSE(run(*connection, {"SET", "survives", "the restart"}).ec);
  EXPECT_EQ(connection->reconnects(), 0u);

  redis_.stop();
  ASSERT_TRUE(puente::test::wait_until([&] { return !connection->connected(); }));
  EXPECT_EQ(run(*connection, {"PING"}).ec, Errc::not_connected);

  redis_.restart();
  ASSERT_TRUE(puente::test::wait_until([&] { return connection->connected(); }));
  EXPECT_GE(connection->reconnects(), 1u);

  // AOF on: what was acknowledged before the restart is still there.
  const auto get = run_until_ok(*connection, {"GET", "survives"});
  ASSERT_FALSE(get.ec) << get.ec.message();
  EXPECT_EQ(get.reply.str, "the restart");
}

TEST_F(ConnectionFaultTest, InFlightCommandsFailWithDisconnectedWhenRedisDies) {
  auto connection = connect();
  constexpr std::size_t count = 3;
  Answers answers(count);
  redis_.pause();  // keeps the commands in flight
  on_io_thread([&] {
    for (std::size_t i = 0; i < count; ++i) {
      connection->execute({"PING"}, answers.handler(i));
    }
  });
  redis_.kill();
  ASSERT_TRUE(answers.wait_all());
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(answers.outcome(i).ec, Errc::disconnected) << answers.outcome(i).ec.message();
    EXPECT_EQ(answers.calls(i), 1) << i;
  }

  redis_.restart();
  const auto ping = run_until_ok(*connection, {"PING"});
  EXPECT_EQ(ping.reply.str, "PONG");
  EXPECT_GE(connection->reconnects(), 1u);
}

TEST_F(ConnectionFaultTest, CommandAgainstStalledRedisTimesOutThenRecovers) {
  auto short_deadlines = options();
  short_deadlines.command_timeout = 200ms;
  short_deadlines.connect_timeout = 500ms;
  auto connection = connect(short_deadlines);

  constexpr std::size_t count = 3;
  Answers answers(count);
  redis_.pause();
  // Queued together: the first command's deadline passes first; the others are still in
  // flight when the link is torn down.
  on_io_thread([&] {
    for (std::size_t i = 0; i < count; ++i) {
      connection->execute({"INCR", "stalled"}, answers.handler(i));
    }
  });
  ASSERT_TRUE(answers.wait_all());
  EXPECT_EQ(answers.outcome(0).ec, Errc::timeout) << answers.outcome(0).ec.message();
  for (std::size_t i = 1; i < count; ++i) {
    EXPECT_EQ(answers.outcome(i).ec, Errc::disconnected) << answers.outcome(i).ec.message();
  }
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(answers.calls(i), 1) << i;
  }

  // While Redis stays stalled, the link cannot come up (its handshake gets no answer).
  EXPECT_EQ(run(*connection, {"PING"}).ec, Errc::not_connected);

  redis_.resume();
  const auto ping = run_until_ok(*connection, {"PING"});
  ASSERT_FALSE(ping.ec) << ping.ec.message();
  EXPECT_EQ(ping.reply.str, "PONG");
  EXPECT_TRUE(connection->connected());
}

TEST_F(ConnectionFaultTest, CommandsIssuedWhileRedisIsDownFailFastAndLaterOnesSucceed) {
  auto connection = connect();
  redis_.kill();
  ASSERT_TRUE(puente::test::wait_until([&] { return !connection->connected(); }));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(run(*connection, {"PING"}).ec, Errc::not_connected);
  }
  redis_.restart();
  EXPECT_EQ(run_until_ok(*connection, {"PING"}).reply.str, "PONG");
}

TEST_F(ConnectionFaultTest, RefusedHandshakeKeepsTheLinkDownUntilRedisAcceptsUs) {
  puente::test::RedisServer full({"--maxclients", "1"});
  auto to_full = options();
  to_full.endpoint.port = full.port();
  auto first = connect(to_full);  // takes the only slot

  // Redis accepts the TCP connection, answers "-ERR max number of clients reached", closes.
  auto second = Connection::create(io_.executor(), to_full);
  second->start();
  EXPECT_EQ(run(*second, {"PING"}).ec, Errc::not_connected);
  EXPECT_FALSE(second->connected());

  first->stop();
  EXPECT_EQ(run_until_ok(*second, {"PING"}).reply.str, "PONG");
  EXPECT_EQ(second->reconnects(), 0u) << "the first successful link is not a reconnect";
  second->stop();
}

}  // namespace
}  // namespace puente::redis::testing
