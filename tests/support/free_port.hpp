#pragma once
// A loopback TCP port nobody listens on right now: bind 127.0.0.1:0, read the port the kernel
// chose, close. Another process may take it before you bind it, so a caller that starts a
// server on it should retry with a new port if the bind fails (RedisServer does).

namespace puente::test {

// Throws std::runtime_error if no socket can be bound.
unsigned short free_port();

// How many ports a server start tries: a port can be lost to another process between
// free_port() and the server's bind.
constexpr int kPortAttempts = 5;

// A loopback port where a connection is refused for as long as this lives: bound, never
// listened on, so the kernel answers a connect with a reset and no other process can take it
// (a port from free_port() that "nothing listens on" may be some other test's server a moment
// later: a test that counted on a refusal got an answer instead).
class RefusedPort {
 public:
  // Throws std::runtime_error if no socket can be bound.
  RefusedPort();
  ~RefusedPort();
  RefusedPort(const RefusedPort&) = delete;
  RefusedPort& operator=(const RefusedPort&) = delete;

  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

}  // namespace puente::test
