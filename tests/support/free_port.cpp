#include "free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace puente::test {

namespace {

// A TCP socket bound to a loopback port the kernel chose: its descriptor and the port.
std::pair<int, unsigned short> bound_loopback_socket(const char* who) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string(who) + ": socket: " + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error(std::string(who) + ": bind: " + std::strerror(error));
  }
  return {fd, ntohs(address.sin_port)};
}

}  // namespace

unsigned short free_port() {
  const auto [fd, port] = bound_loopback_socket("free_port");
  ::close(fd);
  return port;
}

HeldPort::HeldPort(bool listening) {
  std::tie(fd_, port_) = bound_loopback_socket("HeldPort");
  if (listening && ::listen(fd_, 16) != 0) {
    const int error = errno;
    ::close(fd_);
    throw std::runtime_error(std::string("HeldPort: listen: ") + std::strerror(error));
  }
}

HeldPort::~HeldPort() { ::close(fd_); }

}  // namespace puente::test
