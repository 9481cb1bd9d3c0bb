// sd_notify's protocol as the node speaks it (service_notifier.hpp): one datagram per message to
// the socket $NOTIFY_SOCKET names, a path or an abstract name ('@'); nothing without one.
#include "app/node/service_notifier.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cstddef>
#include <cstring>
#include <string>

namespace puente::app {
namespace {

// A datagram socket bound to `name` ('@' for abstract), as systemd's would be.
class NotifyListener {
 public:
  explicit NotifyListener(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un at{};
    at.sun_family = AF_UNIX;
    std::memcpy(at.sun_path, name.data(), name.size());
    if (name.front() == '@') at.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&at), length) != 0)
      ADD_FAILURE() << "bind " << name << ": " << std::strerror(errno);
    timeval wait{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  }
  ~NotifyListener() { ::close(fd_); }
  std::string next() {
    char buffer[4096];
    const auto got = ::recv(fd_, buffer, sizeof buffer, 0);
    return got < 0 ? std::string("(nothing)") : std::string(buffer, static_cast<size_t>(got));
  }

 private:
  int fd_ = -1;
};

TEST(ServiceNotifier, SendsEachStateAsOneDatagramToASocketPath) {
  puente::test::TempDir dir;
  const auto path = (dir.path() / "notify").string();
  NotifyListener systemd(path);
  ServiceNotifier notifier(path.c_str());
  ASSERT_TRUE(notifier.enabled());
  EXPECT_TRUE(notifier.notify("READY=1\nSTATUS=serving"));
  EXPECT_TRUE(notifier.notify("STOPPING=1"));
  EXPECT_EQ(systemd.next(), "READY=1\nSTATUS=serving");
  EXPECT_EQ(systemd.next(), "STOPPING=1");
}

TEST(ServiceNotifier, ReachesAnAbstractSocket) {
  const auto name = "@puente-notify-test-" + std::to_string(::getpid());
  NotifyListener systemd(name);
  ServiceNotifier notifier(name.c_str());
  EXPECT_TRUE(notifier.notify("READY=1"));
  EXPECT_EQ(systemd.next(), "READY=1");
}

TEST(ServiceNotifier, WithoutNotifySocketNothingIsSent) {
  EXPECT_FALSE(ServiceNotifier(nullptr).notify("READY=1"));
  EXPECT_FALSE(ServiceNotifier("").notify("READY=1"));
  // Neither a path nor an abstract name: refused, not sent somewhere relative.
  EXPECT_FALSE(ServiceNotifier("notify").notify("READY=1"));
}

TEST(ServiceNotifier, ASocketNoOneListensOnIsAFailedSendNotACrash) {
  puente::test::TempDir dir;
  const auto path = (dir.path() / "gone").string();
  ServiceNotifier notifier(path.c_str());
  EXPECT_FALSE(notifier.notify("READY=1"));
}

}  // namespace
}  // namespace puente::app
