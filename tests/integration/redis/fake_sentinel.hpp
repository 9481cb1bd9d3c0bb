#pragma once
// A stand-in for one Redis Sentinel that names whatever primary the test tells it to, so a test
// can make "the sentinels" point at a replica, or at nothing, on purpose: things a real
// deployment does only for a moment during a failover.
//
// It answers every connection the same way whatever was asked (the client under test only
// ever asks SENTINEL get-master-addr-by-name): `*2 host port`, or a nil array when told no
// primary is known. One thread, blocking sockets with a 2 s timeout; stopped and joined by the
// destructor.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <thread>

namespace puente::redis::testing {

class FakeSentinel {
 public:
  FakeSentinel() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      if (listener_ >= 0) {
        ::close(listener_);
      }
      throw std::runtime_error("FakeSentinel: cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~FakeSentinel() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);  // wakes the blocked accept()
    thread_.join();
    ::close(listener_);
  }

  FakeSentinel(const FakeSentinel&) = delete;
  FakeSentinel& operator=(const FakeSentinel&) = delete;

  unsigned short port() const { return port_; }
  // The primary port to name from now on; 0: answer nil (no such master).
  void name_primary(unsigned short port) { primary_port_ = port; }
  // How many questions it has answered.
  int answered() const { return answered_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        if (errno == EINTR || errno == ECONNABORTED) {
          continue;
        }
        return;  // shut down
      }
      timeval tv{2, 0};
      ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      if (read_request(client)) {
        const unsigned short primary = primary_port_.load();
        const std::string port = std::to_string(primary);
        const std::string reply = primary == 0
                                      ? std::string("*-1\r\n")
                                      : "*2\r\n$9\r\n127.0.0.1\r\n$" + std::to_string(port.size()) +
                                            "\r\n" + port + "\r\n";
        if (::send(client, reply.data(), reply.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(reply.size())) {
          answered_.fetch_add(1);
        }
      }
      ::close(client);
    }
  }

  // Reads one RESP command of three bulk strings: a header line and two lines per argument.
  static bool read_request(int client) {
    std::string request;
    char chunk[512];
    while (count_lines(request) < 7) {
      const ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
      if (n <= 0) {
        return false;
      }
      request.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }

  static std::size_t count_lines(const std::string& text) {
    std::size_t lines = 0;
    for (std::size_t at = text.find("\r\n"); at != std::string::npos;
         at = text.find("\r\n", at + 2)) {
      ++lines;
    }
    return lines;
  }

  int listener_ = -1;
  unsigned short port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<unsigned short> primary_port_{0};
  std::atomic<int> answered_{0};
};

}  // namespace puente::redis::testing
