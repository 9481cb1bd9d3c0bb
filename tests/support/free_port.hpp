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

// A loopback port this process holds for as long as the object lives: no other process can
// take it (a port from free_port() that "nothing listens on" may be some other test's server a
// moment later: a test that counted on a refusal got an answer instead). Throws
// std::runtime_error if no socket can be bound.
class HeldPort {
 public:
  HeldPort(const HeldPort&) = delete;
  HeldPort& operator=(const HeldPort&) = delete;

  unsigned short port() const { return port_; }

 protected:
  explicit HeldPort(bool listening);
  ~HeldPort();

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

// Bound, never listened on: the kernel answers every connect with a reset (refused).
class RefusedPort : public HeldPort {
 public:
  RefusedPort() : HeldPort(false) {}
};

// Listening, never accepting: the kernel completes TCP handshakes and buffers what clients send,
// and nothing ever answers, like a server that is stopped or swapping.
class SilentListener : public HeldPort {
 public:
  SilentListener() : HeldPort(true) {}
};

}  // namespace puente::test
