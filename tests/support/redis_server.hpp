#pragma once
// A real redis-server for one test or fixture, on its own loopback port and directory:
//
//   redis-server --port N --bind 127.0.0.1 --save "" --appendonly yes --appendfsync everysec
//                --dir <temp dir> --daemonize no  [extra args]
//
// AOF is on as in production, so restart() (same port, same dir) keeps what was written; the
// RDB snapshots are off. The server's output goes to log_path() (set PUENTE_KEEP_TEST_DIRS=1 to
// keep it after the test). The binary is $PUENTE_REDIS_SERVER, else redis-server from PATH,
// else /usr/bin/redis-server.
//
// Every wait has a 10 s deadline, generous for a loaded CI machine; a server that does not
// answer by then throws std::runtime_error (which fails the test with the log's path).
// Not thread-safe.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace puente::test {

// The redis-server to run: $PUENTE_REDIS_SERVER, else redis-server from PATH, else
// /usr/bin/redis-server. (Sentinels are the same binary with --sentinel.)
std::string redis_server_binary();

// An ACL user the fixture signs in as (AUTH) before each question, for a Redis whose default
// user is off (deploy/redis/users.acl).
struct RedisLogin {
  std::string user;
  std::string password;
};

class RedisServer {
 public:
  // Starts the server and waits until it answers PING (as `login`, if given). If the chosen port
  // turns out to be taken (another process won the race for it), starts again on another one.
  explicit RedisServer(std::vector<std::string> extra_args = {},
                       std::optional<RedisLogin> login = std::nullopt);
  ~RedisServer();  // SIGKILL, then the directory is removed

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  const std::string& host() const { return host_; }  // always "127.0.0.1"
  unsigned short port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path log_path() const { return dir_.path() / "redis.log"; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  bool running() { return process_ && process_->running(); }

  // SIGTERM and wait: Redis fsyncs the AOF and exits cleanly.
  void stop();
  // stop() if running, then start again on the same port and directory; waits for PING.
  void restart();
  // SIGKILL: no shutdown, writes of the last second may be lost (appendfsync everysec).
  void kill();
  // SIGSTOP / SIGCONT: the server keeps its sockets and accepts TCP connections (the kernel
  // completes the handshake) but answers nothing, like a stalled or swapping Redis.
  void pause();
  void resume();

  // One PING round trip on a fresh connection: true if the answer is +PONG within `timeout`.
  // False while Redis is loading its AOF (it answers -LOADING).
  bool ping(std::chrono::milliseconds timeout = std::chrono::seconds(1)) const;

 private:
  // Starts redis-server on port_ and waits until it answers; false if the process exited
  // first (typically: the port was taken).
  bool launch();
  // The pid of whatever answers INFO on port_, if anything does.
  std::optional<long> answering_pid() const;

  std::string binary_;
  std::vector<std::string> extra_args_;
  std::optional<RedisLogin> login_;
  std::string host_ = "127.0.0.1";
  unsigned short port_ = 0;
  TempDir dir_;
  std::optional<ChildProcess> process_;  // after dir_: killed before the directory goes
};

}  // namespace puente::test
