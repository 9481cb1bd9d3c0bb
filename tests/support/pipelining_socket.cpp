// A WebSocket client that pipelines frames and never reads (pipelining_socket.hpp).
#include "pipelining_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace puente::test {

namespace {

using Clock = std::chrono::steady_clock;

int millis_until(Clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits for `events` on `fd` until `deadline`; false if it passed first.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  int n = ::poll(&p, 1, millis_until(deadline));
  return n > 0;
}

}  // namespace

std::string masked_frame(std::string_view payload, bool binary) {
  std::string frame;
  frame.push_back(static_cast<char>(0x80 | (binary ? 0x2 : 0x1)));
  const auto size = payload.size();
  if (size < 126) {
    frame.push_back(static_cast<char>(0x80 | size));
  } else if (size <= 0xFFFF) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(size >> 8));
    frame.push_back(static_cast<char>(size));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i)
      frame.push_back(static_cast<char>(static_cast<std::uint64_t>(size) >> (8 * i)));
  }
  frame.append(4, '\0');  // the mask key: zero, so the payload is sent as it is
  frame.append(payload);
  return frame;
}

PipeliningSocket::PipeliningSocket(unsigned short port, std::chrono::milliseconds timeout,
                                   int receive_buffer_bytes) {
  const auto deadline = Clock::now() + timeout;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  // Before connecting: the window the handshake offers is made from it.
  if (receive_buffer_bytes > 0)
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof receive_buffer_bytes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS)
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  if (!wait_for(fd_, POLLOUT, deadline)) throw std::runtime_error("connect: timed out");

  const std::string upgrade =
      "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  if (::send(fd_, upgrade.data(), upgrade.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(upgrade.size()))
    throw std::runtime_error("upgrade: could not send the request");
  // The answer's headers, byte by byte: nothing after them may be taken (the server sends
  // nothing before a hello, but a frame must not be eaten either way).
  std::string answer;
  while (answer.size() < 4 || answer.compare(answer.size() - 4, 4, "\r\n\r\n") != 0) {
    if (!wait_for(fd_, POLLIN, deadline)) throw std::runtime_error("upgrade: no answer in time");
    char c;
    auto n = ::recv(fd_, &c, 1, 0);
    if (n <= 0) throw std::runtime_error("upgrade: connection closed: " + answer);
    answer.push_back(c);
  }
  if (answer.rfind("HTTP/1.1 101", 0) != 0) throw std::runtime_error("upgrade refused: " + answer);
}

PipeliningSocket::~PipeliningSocket() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t PipeliningSocket::pipeline(std::string_view payload, std::size_t count,
                                       std::chrono::milliseconds within, bool binary) {
  const auto deadline = Clock::now() + within;
  const std::string frame = masked_frame(payload, binary);
  // Frames go out in batches of about 64 KiB, each batch with as few sends as the kernel allows.
  const std::size_t per_batch = std::max<std::size_t>(1, 65536 / frame.size());
  std::string batch;
  for (std::size_t i = 0; i < per_batch; ++i) batch += frame;

  std::size_t bytes_out = 0;
  const std::size_t bytes_all = frame.size() * count;
  while (bytes_out < bytes_all) {
    const std::size_t at = bytes_out % batch.size();
    const std::size_t n = std::min(batch.size() - at, bytes_all - bytes_out);
    auto sent = ::send(fd_, batch.data() + at, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      bytes_out += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_for(fd_, POLLOUT, deadline)) break;  // the server stopped reading: time is up
      continue;
    }
    break;  // closed by the server (EPIPE, ECONNRESET)
  }
  return bytes_out / frame.size();
}

bool PipeliningSocket::closed_by_server(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  char got[65536];
  for (;;) {
    auto n = ::recv(fd_, got, sizeof got, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;  // reset
    if (n < 0 && !wait_for(fd_, POLLIN, deadline)) return false;
    if (n > 0) {
      unread_.append(got, static_cast<std::size_t>(n));
      take_frames();
    }
  }
}

void PipeliningSocket::take_frames() {
  for (;;) {
    if (unread_.size() < 2) return;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(unread_[i]); };
    std::size_t header = 2;
    std::uint64_t size = byte(1) & 0x7F;
    if (size == 126) {
      header = 4;
      if (unread_.size() < header) return;
      size = (std::uint64_t{byte(2)} << 8) | byte(3);
    } else if (size == 127) {
      header = 10;
      if (unread_.size() < header) return;
      size = 0;
      for (std::size_t i = 2; i < 10; ++i) size = (size << 8) | byte(i);
    }
    if (byte(1) & 0x80) header += 4;  // a server's frames are not masked; skip a key if one is
    if (unread_.size() < header + size) return;
    if ((byte(0) & 0x0F) == 0x8) {
      close_code_ =
          size >= 2 ? std::optional<int>((byte(header) << 8) | byte(header + 1)) : std::nullopt;
    } else {
      ++frames_read_;
    }
    unread_.erase(0, header + size);
  }
}

}  // namespace puente::test
