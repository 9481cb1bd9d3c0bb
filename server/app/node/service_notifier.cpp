// sd_notify's datagram protocol: see service_notifier.hpp.
#include "app/node/service_notifier.hpp"

#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace puente::app {

ServiceNotifier::ServiceNotifier(const char* notify_socket) {
  if (!notify_socket || !*notify_socket) return;
  address_ = notify_socket;
  if (address_.front() == '@') address_.front() = '\0';  // an abstract socket's name
  // sun_path holds 108 bytes; systemd's own paths are far shorter.
  if (address_.size() >= sizeof(sockaddr_un::sun_path) ||
      (address_.front() != '/' && address_.front() != '\0')) {
    spdlog::warn("NOTIFY_SOCKET is not a socket path or abstract name; systemd is not told");
    return;
  }
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) spdlog::warn("cannot open a socket to tell systemd: {}", std::strerror(errno));
}

ServiceNotifier::~ServiceNotifier() {
  if (fd_ >= 0) ::close(fd_);
}

bool ServiceNotifier::notify(std::string_view state) {
  if (fd_ < 0) return false;
  sockaddr_un to{};
  to.sun_family = AF_UNIX;
  std::memcpy(to.sun_path, address_.data(), address_.size());
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() +
                                             (address_.front() == '/' ? 1 : 0));
  const auto sent = ::sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&to), length);
  if (sent == static_cast<ssize_t>(state.size())) return true;
  spdlog::warn("systemd was not told \"{}\": {}", state.substr(0, state.find('\n')),
               sent < 0 ? std::strerror(errno) : "cut short");
  return false;
}

}  // namespace puente::app
