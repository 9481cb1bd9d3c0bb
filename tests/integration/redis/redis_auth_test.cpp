// AUTH on every link (issue 19 item 2), against a real redis-server whose default user is off and
// a real Sentinel with users of its own: the command connection and the subscriber sign in with
// the password file, on the first connect and every reconnect; a wrong password keeps the link
// down until the file is right (read at each attempt); the sentinel is asked only after AUTH.
#include "free_port.hpp"
#include "inbox.hpp"
#include "redis/subscriber.hpp"
#include "redis_fixture.hpp"

#include <fstream>

namespace puente::redis::testing {
namespace {

constexpr const char* kAuthTestPassword = "node-password-1";

class RedisAuthTest : public ::testing::Test {
 protected:
  RedisAuthTest() {
    std::ofstream(dir_.path() / "users.acl")
        << "user default off\n"
        << "user puente on >" << kAuthTestPassword << " ~* &* +@all\n"
        << "user watcher on >watcher-password ~* &* +@all\n";
    write_password(kAuthTestPassword);
    redis_.emplace(std::vector<std::string>{"--aclfile", (dir_.path() / "users.acl").string()},
                   puente::test::RedisLogin{"puente", kAuthTestPassword});
  }

  void write_password(const std::string& password) {
    std::ofstream(dir_.path() / "password", std::ios::trunc) << password << "\n";
  }

  ConnectionOptions options() const {
    ConnectionOptions options;
    options.endpoint = {redis_->host(), redis_->port()};
    options.name = "puente-test";
    options.command_timeout = 5s;
    options.reconnect_min = 20ms;
    options.reconnect_max = 100ms;
    options.user = "puente";
    options.password_file = (dir_.path() / "password").string();
    return options;
  }

  puente::test::TempDir dir_{"puente-redis-auth-"};
  std::optional<puente::test::RedisServer> redis_;
  puente::test::IoThreads io_{1};
};

TEST_F(RedisAuthTest, CommandsAndSubscriberSignInOnConnectAndReconnect) {
  auto connection = Connection::create(io_.executor(), options());
  connection->start();
  ASSERT_TRUE(puente::test::wait_until([&] { return connection->connected(); }));
  EXPECT_EQ(run_command(*connection, {"ACL", "WHOAMI"}).reply.str, "puente");

  Inbox inbox;
  auto subscriber = Subscriber::create(io_.executor(), options());
  subscriber->on_message(
      [&](const std::string& channel, const std::string& payload) { inbox.add(channel, payload); });
  subscriber->subscribe({"puente:live:test"});
  subscriber->start();
  ASSERT_TRUE(puente::test::wait_until([&] {
    return run_command(*connection, {"SPUBLISH", "puente:live:test", "one"}).reply.integer == 1;
  }));

  redis_->restart();  // both links drop and sign in again
  EXPECT_EQ(run_command_until_ok(*connection, {"ACL", "WHOAMI"}).reply.str, "puente");
  ASSERT_TRUE(puente::test::wait_until([&] {
    return run_command(*connection, {"SPUBLISH", "puente:live:test", "two"}).reply.integer == 1;
  }));
  EXPECT_TRUE(puente::test::wait_until([&] { return inbox.has("puente:live:test", "two"); }));
  subscriber->stop();
  connection->stop();
}

TEST_F(RedisAuthTest, AWrongPasswordKeepsTheLinkDownUntilTheFileIsRight) {
  write_password("wrong");
  auto connection = Connection::create(io_.executor(), options());
  connection->start();
  // Several attempts (20-100 ms apart) fail within this; none may count as up.
  EXPECT_FALSE(puente::test::wait_until([&] { return connection->connected(); }, 500ms));
  write_password(kAuthTestPassword);
  EXPECT_TRUE(puente::test::wait_until([&] { return connection->connected(); }));
  connection->stop();
}

TEST_F(RedisAuthTest, WithoutAuthTheLinkNeverComesUp) {
  auto options = this->options();
  options.user.clear();
  auto connection = Connection::create(io_.executor(), options);
  connection->start();
  EXPECT_FALSE(puente::test::wait_until([&] { return connection->connected(); }, 500ms));
  connection->stop();
}

// One real sentinel whose default user is off, monitoring the ACL Redis as "puente-sentinel"
// would (auth-user / auth-pass), and letting "asker" ask only where the primary is.
class SentinelAuthTest : public RedisAuthTest {
 protected:
  SentinelAuthTest() {
    sentinel_port_ = puente::test::free_port();
    std::ofstream(dir_.path() / "sentinel.conf")
        << "port " << sentinel_port_ << "\nbind 127.0.0.1\n"
        << "sentinel monitor puente 127.0.0.1 " << redis_->port() << " 1\n"
        << "sentinel auth-user puente watcher\nsentinel auth-pass puente watcher-password\n"
        << "user default off\n"
        << "user asker on >asker-password -@all +sentinel|get-master-addr-by-name\n";
    std::ofstream(dir_.path() / "sentinel-password") << "asker-password\n";
    sentinel_.emplace(
        puente::test::redis_server_binary(),
        std::vector<std::string>{(dir_.path() / "sentinel.conf").string(), "--sentinel"},
        dir_.path() / "sentinel.log");
  }

  ConnectionOptions through_sentinel() const {
    auto options = this->options();
    options.endpoint.port = 1;  // nobody there: only the sentinel can lead to Redis
    options.sentinels = {{"127.0.0.1", sentinel_port_}};
    options.master_name = "puente";
    options.sentinel_user = "asker";
    options.sentinel_password_file = (dir_.path() / "sentinel-password").string();
    return options;
  }

  unsigned short sentinel_port_ = 0;
  std::optional<puente::test::ChildProcess> sentinel_;
};

TEST_F(SentinelAuthTest, TheSentinelIsAskedAfterAuth) {
  auto connection = Connection::create(io_.executor(), through_sentinel());
  connection->start();
  ASSERT_TRUE(puente::test::wait_until([&] { return connection->connected(); }))
      << "see " << (dir_.path() / "sentinel.log");
  EXPECT_EQ(run_command(*connection, {"ACL", "WHOAMI"}).reply.str, "puente");
  connection->stop();
}

TEST_F(SentinelAuthTest, WithoutSentinelAuthTheSentinelTellsNothing) {
  // The sentinel is up and answers the right user (the test above); this one it refuses.
  auto options = through_sentinel();
  options.sentinel_user.clear();
  auto connection = Connection::create(io_.executor(), options);
  connection->start();
  EXPECT_FALSE(puente::test::wait_until([&] { return connection->connected(); }, 1000ms));
  connection->stop();
  // The same sentinel answers the user it knows: it was up all along.
  auto signed_in = Connection::create(io_.executor(), through_sentinel());
  signed_in->start();
  EXPECT_TRUE(puente::test::wait_until([&] { return signed_in->connected(); }));
  signed_in->stop();
}

}  // namespace
}  // namespace puente::redis::testing
