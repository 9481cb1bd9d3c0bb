#pragma once
// A command connection to a store test's Redis, up before the test starts, and the plain
// commands a test sends to seed keys or look at them.

#include "io_threads.hpp"
#include "redis/connection.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

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
  bool wait_up() { return wait_until([&] { return connection_->connected(); }); }

  redis::Reply command(std::vector<std::string> args) {
    std::promise<redis::Reply> got;
    connection_->execute(std::move(args), [&](auto ec, redis::Reply reply) {
      EXPECT_FALSE(ec) << ec.message();
      got.set_value(std::move(reply));
    });
    return got.get_future().get();
  }
  long long integer(std::vector<std::string> args) { return command(std::move(args)).integer; }

 private:
  std::shared_ptr<redis::Connection> connection_;
};

}  // namespace puente::test
