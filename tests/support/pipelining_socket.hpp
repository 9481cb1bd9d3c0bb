#pragma once
// A WebSocket client as an attacker writes one: it upgrades, then writes frames as fast as the
// kernel takes them and never reads what the server answers, so the server's answers pile up on
// its side. Flood tests use it (tests/integration/api/socket_memory_test.cpp): WsClient
// (clients/common) writes one frame at a time and answers pings, as a polite client does.
//
// Plain TCP on loopback, blocking calls bounded by deadlines. Not thread-safe.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace puente::test {

class PipeliningSocket {
 public:
  // Connects to 127.0.0.1:`port` and upgrades at /v1/ws; throws std::runtime_error saying why
  // if it cannot (the server's status line, say). A `receive_buffer_bytes` (SO_RCVBUF) keeps
  // the kernel from taking much of what the server sends; 0 leaves the system's default.
  explicit PipeliningSocket(unsigned short port,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10),
                            int receive_buffer_bytes = 0);
  ~PipeliningSocket();
  PipeliningSocket(const PipeliningSocket&) = delete;
  PipeliningSocket& operator=(const PipeliningSocket&) = delete;

  // Writes `count` frames carrying `payload` (masked, as a client's must be) back to back,
  // without reading anything, until all are out, `within` has passed, or the server has closed
  // the connection. Returns how many frames went out whole.
  std::size_t pipeline(std::string_view payload, std::size_t count,
                       std::chrono::milliseconds within, bool binary = false);
  // Reads and drops whatever the server sent until it closes the connection (true) or `wait`
  // passes (false).
  bool closed_by_server(std::chrono::milliseconds wait);
  // What closed_by_server read: the frames before the close frame, and the close frame's code
  // (1008 policy, 1013 try again later), nullopt if none came (the connection was cut).
  std::size_t frames_read() const { return frames_read_; }
  std::optional<int> close_code() const { return close_code_; }

 private:
  // Takes the whole frames at the front of `unread_`.
  void take_frames();

  int fd_ = -1;
  std::string unread_;
  std::size_t frames_read_ = 0;
  std::optional<int> close_code_;
};

// One client frame: FIN, text or binary, masked with a zero key (the payload then goes as is).
std::string masked_frame(std::string_view payload, bool binary = false);

}  // namespace puente::test
