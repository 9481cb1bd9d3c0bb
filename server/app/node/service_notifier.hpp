#pragma once
// Tells systemd how the node is doing (sd_notify's protocol, spoken directly so the node needs
// no libsystemd): a unit of Type=notify (deploy/systemd/puented@.service) is "started" only once
// the node says READY=1, which it does when Redis is first reached, not when it merely listens;
// STOPPING=1 on SIGTERM; RELOADING=1 then READY=1 around a SIGHUP; STATUS= lines for
// `systemctl status`.
//
// The protocol (sd_notify(3)): one datagram per message, "KEY=value" lines, sent to the
// AF_UNIX SOCK_DGRAM socket named by $NOTIFY_SOCKET: a path, or an abstract name when it starts
// with '@'. Without $NOTIFY_SOCKET (run-local.sh, the tests, a shell) every call does nothing.
// A message that cannot be sent is dropped: the service manager is a watcher, never a
// dependency, and a node keeps serving whatever it is told.

#include <string>
#include <string_view>

namespace puente::app {

class ServiceNotifier {
 public:
  // `notify_socket`: $NOTIFY_SOCKET, or null/empty when unset.
  explicit ServiceNotifier(const char* notify_socket);
  ~ServiceNotifier();
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  // Sends `state` ("READY=1\nSTATUS=...") as one datagram. False if there is no socket or the
  // send failed.
  bool notify(std::string_view state);

  bool enabled() const { return fd_ >= 0; }

 private:
  std::string address_;  // sockaddr_un's sun_path bytes, abstract names with their leading NUL
  int fd_ = -1;
};

}  // namespace puente::app
