#pragma once
// What store tests share: a command connection to the test's Redis and the plain commands a
// test sends to seed keys or look at them; and a fixture with its own redis-server, I/O threads
// and such a connection, up before the test starts.

#include "io_threads.hpp"
#include "redis/connection.hpp"
#include "redis_server.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace puente::test {

class RedisLink {
 public:
  RedisLink(IoThreads& io, unsigned short port) {
    redis::ConnectionOptions options;
    options.endpoint.port = port;
    connection_ = redis::Connection::create(io.executor(), options);
    connection_->start();
  }
  ~RedisLink() { connection_->stop(); }
  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;

  const std::shared_ptr<redis::Connection>& connection() const { return connection_; }
  bool wait_up() {
    return wait_until([&] { return connection_->connected(); });
  }

  redis::Reply command(std::vector<std::string> args) {
    std::promise<redis::Reply> got;
    connection_->execute(std::move(args), [&](auto ec, redis::Reply reply) {
      EXPECT_FALSE(ec) << ec.message();
      got.set_value(std::move(reply));
    });
    return got.get_future().get();
  }
  long long integer(std::vector<std::string> args) { return command(std::move(args)).integer; }
  // How many times Redis has run `name` (lower case), commands a script called included (INFO
  // commandstats): what a step costs Redis, counted.
  long long calls(const std::string& name) {
    const auto stats = command({"INFO", "commandstats"}).str;
    const auto at = stats.find("cmdstat_" + name + ":calls=");
    if (at == std::string::npos) return 0;
    return std::atoll(stats.c_str() + at + name.size() + 15);
  }

 private:
  std::shared_ptr<redis::Connection> connection_;
};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(link.wait_up()); }

  RedisServer redis;
  IoThreads io{2};
  RedisLink link{io, redis.port()};
};

}  // namespace puente::test
