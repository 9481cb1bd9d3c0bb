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

}  // namespace puente::test
