#pragma once
// What the Redis layer's integration tests share: a real redis-server per test, an io_context
// run by one thread, and a synchronous way to run a command and wait for its one answer.
//
// One io thread on purpose: a handler posted to it runs before anything the Connection posts
// from it, so a test can queue several commands (and a stop()) back to back, with no timer or
// reply able to slip in between, and the outcome is the same on an idle or a loaded machine.

#include "io_threads.hpp"
#include "redis/connection.hpp"
#include "redis_server.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace puente::redis::testing {

using namespace std::chrono_literals;

// One command's answer.
struct Outcome {
  boost::system::error_code ec;
  Reply reply;
};

// Collects the answers of commands issued without waiting, and counts the calls per command:
// a handler called twice would show up as calls(i) == 2.
class Answers {
 public:
  explicit Answers(std::size_t count) : outcomes_(count), calls_(count) {}

  ReplyHandler handler(std::size_t i) {
    return [this, i](boost::system::error_code ec, Reply reply) {
      std::lock_guard lock(mutex_);
      outcomes_[i] = Outcome{ec, std::move(reply)};
      ++calls_[i];
      ++total_;
    };
  }
  std::size_t total() {
    std::lock_guard lock(mutex_);
    return total_;
  }
  bool wait_all() {
    return puente::test::wait_until([this] { return total() >= outcomes_.size(); });
  }
  Outcome outcome(std::size_t i) {
    std::lock_guard lock(mutex_);
    return outcomes_[i];
  }
  int calls(std::size_t i) {
    std::lock_guard lock(mutex_);
    return calls_[i];
  }

 private:
  std::mutex mutex_;
  std::vector<Outcome> outcomes_;
  std::vector<int> calls_;
  std::size_t total_ = 0;
};

// Runs one command and waits (`timeout` at most) for its answer.
inline Outcome run_command(Connection& connection, std::vector<std::string> args,
                           std::chrono::milliseconds timeout = puente::test::default_wait) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto answer = promise->get_future();
  connection.execute(std::move(args), [promise](boost::system::error_code ec, Reply reply) {
    promise->set_value(Outcome{ec, std::move(reply)});
  });
  if (answer.wait_for(timeout) != std::future_status::ready) {
    ADD_FAILURE() << "no answer within " << timeout.count() << " ms";
    return Outcome{make_error_code(boost::system::errc::timed_out), {}};
  }
  return answer.get();
}

// Runs the command until it succeeds (the link may still be coming back), for `timeout` at
// most; the last outcome.
inline Outcome run_command_until_ok(
    Connection& connection, const std::vector<std::string>& args,
    std::chrono::milliseconds timeout = puente::test::default_wait) {
  Outcome outcome;
  puente::test::wait_until(
      [&] {
        outcome = run_command(connection, args);
        return !outcome.ec && !outcome.reply.is_error();
      },
      timeout);
  return outcome;
}

// A connection's options with deadlines sized for a loaded machine running ASan; tests that
// need a short one set it. Where to connect is the caller's to add.
inline ConnectionOptions test_options() {
  ConnectionOptions options;
  options.name = "puente-test";
  options.connect_timeout = 2s;
  options.command_timeout = 5s;
  options.reconnect_min = 20ms;
  options.reconnect_max = 200ms;
  return options;
}

// The same for `server`.
inline ConnectionOptions options_for(const puente::test::RedisServer& server) {
  ConnectionOptions options = test_options();
  options.endpoint.host = server.host();
  options.endpoint.port = server.port();
  return options;
}

class RedisFixture : public ::testing::Test {
 protected:
  // The io thread stops before the test's members go: a handler of a link still open (a message
  // read just before its stop() ran) can no longer reach a member after it is destroyed. A test
  // that overrides TearDown calls this last.
  void TearDown() override { io_.stop(); }

  ConnectionOptions options() const { return options_for(redis_); }

  // A started connection, once it is up.
  std::shared_ptr<Connection> connect(ConnectionOptions options) {
    auto connection = Connection::create(io_.executor(), std::move(options));
    connection->start();
    EXPECT_TRUE(puente::test::wait_until([&] { return connection->connected(); }))
        << "no link to Redis on port " << redis_.port();
    return connection;
  }
  std::shared_ptr<Connection> connect() { return connect(options()); }

  // Runs one command and waits (10 s at most) for its answer.
  static Outcome run(Connection& connection, std::vector<std::string> args) {
    return run_command(connection, std::move(args));
  }

  // Runs the command until it succeeds (the link may still be coming back); the last outcome.
  static Outcome run_until_ok(Connection& connection, const std::vector<std::string>& args) {
    return run_command_until_ok(connection, args);
  }

  // Runs `work` on the io thread and waits until it has returned.
  void on_io_thread(std::function<void()> work) {
    std::promise<void> done;
    boost::asio::post(io_.context(), [&] {
      work();
      done.set_value();
    });
    ASSERT_EQ(done.get_future().wait_for(puente::test::default_wait), std::future_status::ready);
  }

  puente::test::RedisServer redis_;
  puente::test::IoThreads io_{1};
};

}  // namespace puente::redis::testing
