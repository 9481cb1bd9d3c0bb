// Connection against a real redis-server: commands, replies, concurrency, lifecycle.

#include "free_port.hpp"
#include "redis_fixture.hpp"

#include <atomic>
#include <set>
#include <thread>

namespace puente::redis::testing {
namespace {

using ConnectionTest = RedisFixture;

TEST_F(ConnectionTest, SetGetRoundTripIsBinarySafe) {
  auto connection = connect();
  const std::string key("alert\0key\r\n", 11);
  std::string value;
  for (int i = 0; i < 256; ++i) {
    value.push_back(static_cast<char>(i));  // NULs, CR/LF, bytes that are not UTF-8
  }
  value += std::string("\0\0tail\0", 7);

  const auto set = run(*connection, {"SET", key, value});
  ASSERT_FALSE(set.ec) << set.ec.message();
  EXPECT_EQ(set.reply.type, Reply::Type::status);
  EXPECT_EQ(set.reply.str, "OK");

  const auto get = run(*connection, {"GET", key});
  ASSERT_FALSE(get.ec) << get.ec.message();
  ASSERT_EQ(get.reply.type, Reply::Type::string);
  EXPECT_EQ(get.reply.str, value);

  const auto length = run(*connection, {"STRLEN", key});
  ASSERT_EQ(length.reply.type, Reply::Type::integer);
  EXPECT_EQ(length.reply.integer, static_cast<long long>(value.size()));
}

// The node writes each command in the protocol itself (command.cpp): empty arguments and
// commands of many arguments, as a report's scripts send, must arrive as they were.
TEST_F(ConnectionTest, EmptyArgumentsAndLongCommandsArriveWhole) {
  auto connection = connect();
  std::vector<std::string> push{"RPUSH", "list"};
  for (int i = 0; i < 1500; ++i) push.push_back(i % 3 == 0 ? "" : std::string(i % 40, 'x'));
  const auto pushed = run(*connection, push);
  ASSERT_FALSE(pushed.ec) << pushed.ec.message();
  EXPECT_EQ(pushed.reply.integer, 1500);

  const auto range = run(*connection, {"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(range.reply.type, Reply::Type::array);
  ASSERT_EQ(range.reply.elements.size(), 1500u);
  for (std::size_t i = 0; i < range.reply.elements.size(); ++i)
    EXPECT_EQ(range.reply.elements[i].str, push[i + 2]) << "element " << i;
}

TEST_F(ConnectionTest, RepliesOfEveryTypeAreCopied) {
  auto connection = connect();
  ASSERT_FALSE(run(*connection, {"RPUSH", "list", "a", std::string("\0b", 2)}).ec);

  const auto list = run(*connection, {"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(list.reply.type, Reply::Type::array);
  ASSERT_EQ(list.reply.elements.size(), 2u);
  EXPECT_EQ(list.reply.elements[0].str, "a");
  EXPECT_EQ(list.reply.elements[1].str, std::string("\0b", 2));

  EXPECT_TRUE(run(*connection, {"GET", "missing"}).reply.is_nil());
  EXPECT_EQ(run(*connection, {"PING"}).reply.type, Reply::Type::status);
}

TEST_F(ConnectionTest, ServerErrorArrivesAsErrorReply) {
  auto connection = connect();
  ASSERT_FALSE(run(*connection, {"SET", "word", "not a number"}).ec);

  const auto incr = run(*connection, {"INCR", "word"});
  EXPECT_FALSE(incr.ec) << "an error reply is not a link error";
  ASSERT_EQ(incr.reply.type, Reply::Type::error);
  EXPECT_TRUE(incr.reply.is_error());
  EXPECT_EQ(incr.reply.str.rfind("ERR", 0), 0u) << incr.reply.str;

  const auto unknown = run(*connection, {"NO-SUCH-COMMAND"});
  EXPECT_FALSE(unknown.ec);
  EXPECT_EQ(unknown.reply.type, Reply::Type::error);

  // The link is fine afterwards.
  EXPECT_EQ(run(*connection, {"PING"}).reply.str, "PONG");
}

TEST_F(ConnectionTest, SetsTheClientName) {
  auto connection = connect();
  const auto name = run(*connection, {"CLIENT", "GETNAME"});
  ASSERT_FALSE(name.ec);
  EXPECT_EQ(name.reply.str, "puente-test");
}

TEST_F(ConnectionTest, CommandsFromManyThreadsCompleteOnceAndInOrder) {
  // A node's pool: several threads run the io_context, several threads issue commands.
  puente::test::IoThreads pool(4);
  auto connection = Connection::create(pool.executor(), options());
  connection->start();
  ASSERT_TRUE(puente::test::wait_until([&] { return connection->connected(); }));

  constexpr int threads = 4;
  constexpr int per_thread = 250;
  std::vector<std::vector<long long>> values(threads, std::vector<long long>(per_thread, 0));
  std::vector<std::vector<std::atomic<int>>> calls(threads);
  for (auto& row : calls) {
    row = std::vector<std::atomic<int>>(per_thread);
  }
  std::atomic<int> failures{0};
  std::atomic<int> done{0};

  std::vector<std::thread> issuers;
  for (int t = 0; t < threads; ++t) {
    issuers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        connection->execute({"INCR", "counter"}, [&, t, i](boost::system::error_code ec, Reply r) {
          if (ec || r.type != Reply::Type::integer) {
            failures.fetch_add(1);
          }
          values[t][i] = r.integer;
          calls[t][i].fetch_add(1);
          done.fetch_add(1, std::memory_order_release);
        });
      }
    });
  }
  for (auto& issuer : issuers) {
    issuer.join();
  }
  ASSERT_TRUE(puente::test::wait_until(
      [&] { return done.load(std::memory_order_acquire) == threads * per_thread; }));

  EXPECT_EQ(failures.load(), 0);
  std::set<long long> seen;
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < per_thread; ++i) {
      EXPECT_EQ(calls[t][i].load(), 1) << "thread " << t << " command " << i;
      seen.insert(values[t][i]);
      // One thread's commands reach Redis in the order it issued them.
      if (i > 0) {
        EXPECT_LT(values[t][i - 1], values[t][i]) << "thread " << t << " command " << i;
      }
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(threads * per_thread));
  EXPECT_EQ(*seen.begin(), 1);
  EXPECT_EQ(*seen.rbegin(), threads * per_thread);
  EXPECT_EQ(run(*connection, {"GET", "counter"}).reply.str, std::to_string(threads * per_thread));
  EXPECT_EQ(connection->reconnects(), 0u);
  connection->stop();
}

TEST_F(ConnectionTest, FailsWithNotConnectedBeforeStart) {
  auto connection = Connection::create(io_.executor(), options());
  EXPECT_FALSE(connection->connected());
  const auto outcome = run(*connection, {"PING"});
  EXPECT_EQ(outcome.ec, Errc::not_connected);
}

TEST_F(ConnectionTest, FailsPromptlyWithNotConnectedWhenNothingListens) {
  const puente::test::RefusedPort refused;
  auto dead = options();
  dead.endpoint.port = refused.port();
  auto connection = Connection::create(io_.executor(), dead);
  connection->start();
  for (int i = 0; i < 3; ++i) {  // before, during and between the retries
    const auto outcome = run(*connection, {"PING"});
    EXPECT_EQ(outcome.ec, Errc::not_connected) << outcome.ec.message();
  }
  EXPECT_FALSE(connection->connected());
  connection->stop();
}

TEST_F(ConnectionTest, NotConnectedIsPostedNotInline) {
  auto connection = Connection::create(io_.executor(), options());
  // Called from the io thread itself, the handler must still not run inside execute().
  bool inside_execute = false;
  bool ran_inline = false;
  std::promise<void> answered;
  on_io_thread([&] {
    inside_execute = true;
    connection->execute({"PING"}, [&](boost::system::error_code, Reply) {
      ran_inline = inside_execute;
      answered.set_value();
    });
    inside_execute = false;
  });
  ASSERT_EQ(answered.get_future().wait_for(puente::test::default_wait), std::future_status::ready);
  EXPECT_FALSE(ran_inline);
}

TEST_F(ConnectionTest, StopFailsPendingCommandsWithStopped) {
  auto connection = connect();
  constexpr std::size_t count = 10;
  Answers answers(count);
  // Queued back to back on the one io thread: every command is sent before stop() runs, and
  // no reply can be read in between.
  on_io_thread([&] {
    for (std::size_t i = 0; i < count; ++i) {
      connection->execute({"INCR", "stopped"}, answers.handler(i));
    }
    connection->stop();
  });
  ASSERT_TRUE(answers.wait_all());
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(answers.outcome(i).ec, Errc::stopped) << i;
    EXPECT_EQ(answers.calls(i), 1) << i;
  }
  EXPECT_TRUE(puente::test::wait_until([&] { return !connection->connected(); }));
  EXPECT_EQ(run(*connection, {"PING"}).ec, Errc::stopped);
}

TEST_F(ConnectionTest, DestructionFailsPendingCommandsWithStopped) {
  auto connection = connect();
  constexpr std::size_t count = 5;
  Answers answers(count);
  redis_.pause();  // nothing gets answered: the commands are in flight when the object goes
  on_io_thread([&, connection = std::move(connection)]() mutable {
    for (std::size_t i = 0; i < count; ++i) {
      connection->execute({"PING"}, answers.handler(i));
    }
    connection.reset();  // the queued executes hold the last references
  });
  ASSERT_TRUE(answers.wait_all());
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(answers.outcome(i).ec, Errc::stopped) << i;
    EXPECT_EQ(answers.calls(i), 1) << i;
  }
  redis_.resume();
}

TEST_F(ConnectionTest, LinkChangesAreReported) {
  auto connection = Connection::create(io_.executor(), options());
  std::mutex mutex;
  std::vector<bool> changes;
  connection->on_link_change([&](bool up) {
    std::lock_guard lock(mutex);
    changes.push_back(up);
  });
  connection->start();
  auto changes_seen = [&] {
    std::lock_guard lock(mutex);
    return changes;
  };
  ASSERT_TRUE(puente::test::wait_until([&] { return changes_seen().size() == 1; }));
  connection->stop();
  ASSERT_TRUE(puente::test::wait_until([&] { return changes_seen().size() == 2; }));
  EXPECT_EQ(changes_seen(), (std::vector<bool>{true, false}));
}

TEST(RedisErrorCategory, HasReadableMessages) {
  EXPECT_STREQ(category().name(), "puente.redis");
  for (const auto errc : {Errc::not_connected, Errc::timeout, Errc::disconnected, Errc::stopped}) {
    const boost::system::error_code ec = errc;
    EXPECT_EQ(&ec.category(), &category());
    EXPECT_NE(ec.message(), "unknown Redis error");
  }
  EXPECT_EQ(make_error_code(Errc::timeout).message(),
            "Redis did not answer within the command deadline");
}

}  // namespace
}  // namespace puente::redis::testing
