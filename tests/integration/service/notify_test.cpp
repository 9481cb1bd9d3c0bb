// What systemd sees of a node (issue 24 item 2): a Type=notify unit is started once the node
// says READY=1, which it must say only after Redis is reached; STOPPING=1 on SIGTERM;
// RELOADING=1 then READY=1 around SIGHUP (`systemctl reload`). The test owns the socket
// $NOTIFY_SOCKET names, as systemd would, and starts the node with Redis down.
#include "redis_server.hpp"
#include "standalone_node.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cstring>
#include <sstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// The service manager's end: a datagram socket bound to a path in the test's folder.
class NotifySocket {
 public:
  explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un at{};
    at.sun_family = AF_UNIX;
    std::strncpy(at.sun_path, path_.c_str(), sizeof at.sun_path - 1);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0)
      throw std::runtime_error("cannot bind " + path_.string() + ": " + std::strerror(errno));
    timeval tick{0, 100'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  }
  ~NotifySocket() { ::close(fd_); }
  const std::filesystem::path& path() const { return path_; }

  // Reads messages until one holds the line `wanted` or `timeout` passes; true if one did.
  // Every line read is kept in seen().
  bool wait_for(const std::string& wanted, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      char buffer[4096];
      const auto got = ::recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) continue;
      std::istringstream lines(std::string(buffer, static_cast<std::size_t>(got)));
      bool found = false;
      for (std::string line; std::getline(lines, line);) {
        seen_ += line + "\n";
        found = found || line == wanted;
      }
      if (found) return true;
    }
    return false;
  }
  const std::string& seen() const { return seen_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::string seen_;
};

TEST(SystemdNotify, ReadyArrivesOnlyOnceRedisIsReachedThenReloadingAndStopping) {
  RedisServer redis;
  redis.stop();  // down when the node starts
  StandaloneNode node(redis.port(), "state_dir = \"../state\"");
  NotifySocket systemd(node.dir() / "notify");
  node.start({{"NOTIFY_SOCKET", systemd.path().string()}});

  // Listening, trying Redis every 200 ms or so, answering /readyz 503: not ready for systemd.
  EXPECT_FALSE(systemd.wait_for("READY=1", std::chrono::milliseconds(1500)))
      << "READY=1 before Redis was reached; seen:\n"
      << systemd.seen();
  EXPECT_EQ(node.http().request(http::verb::get, "/readyz").status, 503);

  redis.restart();
  ASSERT_TRUE(systemd.wait_for("READY=1", std::chrono::seconds(30)))
      << "no READY=1 once Redis was up; seen:\n"
      << systemd.seen();
  EXPECT_NE(systemd.seen().find("STATUS="), std::string::npos) << systemd.seen();

  // systemctl reload: SIGHUP, said as RELOADING=1, then READY=1 again once done.
  node.process().hang_up();
  ASSERT_TRUE(systemd.wait_for("RELOADING=1", std::chrono::seconds(10))) << systemd.seen();
  ASSERT_TRUE(systemd.wait_for("READY=1", std::chrono::seconds(10))) << systemd.seen();

  // systemctl stop: SIGTERM, said as STOPPING=1, and a clean exit.
  ::kill(node.process().pid(), SIGTERM);
  EXPECT_TRUE(systemd.wait_for("STOPPING=1", std::chrono::seconds(10))) << systemd.seen();
  auto exit = node.process().wait_for_exit(std::chrono::seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(exit->exited && exit->code == 0);
}

}  // namespace
}  // namespace puente::test
