#include "redis_server.hpp"

#include "free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace puente::test {
namespace {

// Readiness waits: long enough for a loaded CI machine, short enough to fail a stuck test.
constexpr auto start_deadline = std::chrono::seconds(10);

// A blocking loopback connection with send and receive timeouts: enough to ask Redis one
// thing without a client library (the tests check that library; the fixture must not use it).
class ProbeSocket {
 public:
  ProbeSocket(unsigned short port, std::chrono::milliseconds timeout) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
      return;
    }
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect()
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close();
    }
  }
  ~ProbeSocket() { close(); }
  ProbeSocket(const ProbeSocket&) = delete;
  ProbeSocket& operator=(const ProbeSocket&) = delete;

  // Sends `request` (RESP) and reads one reply: a status/error/integer line, or a bulk
  // string's content. nullopt on any failure or timeout.
  std::optional<std::string> ask(const std::string& request) {
    if (fd_ < 0 || !send_all(request)) {
      return std::nullopt;
    }
    const auto line = read_line();
    if (!line || line->empty() || (*line)[0] != '$') {
      return line;
    }
    const long length = std::strtol(line->c_str() + 1, nullptr, 10);
    if (length < 0) {
      return std::string();
    }
    while (buffer_.size() < static_cast<std::size_t>(length) + 2) {
      if (!fill()) {
        return std::nullopt;
      }
    }
    return buffer_.substr(0, static_cast<std::size_t>(length));
  }

 private:
  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  bool send_all(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        return false;
      }
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  bool fill() {
    char chunk[4096];
    ssize_t n;
    do {
      n = ::recv(fd_, chunk, sizeof chunk, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  std::optional<std::string> read_line() {
    std::size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
      if (!fill()) {
        return std::nullopt;
      }
    }
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return line;
  }

  int fd_ = -1;
  std::string buffer_;
};

std::string resp_auth(const RedisLogin& login) {
  std::string out = "*3\r\n$4\r\nAUTH\r\n";
  for (const std::string* arg : {&login.user, &login.password}) {
    out += "$" + std::to_string(arg->size()) + "\r\n" + *arg + "\r\n";
  }
  return out;
}

}  // namespace

std::string redis_server_binary() {
  if (const char* configured = std::getenv("PUENTE_REDIS_SERVER"); configured && *configured) {
    return configured;
  }
  if (const auto found = ChildProcess::find_program("redis-server")) {
    return found->string();
  }
  return "/usr/bin/redis-server";
}

RedisServer::RedisServer(std::vector<std::string> extra_args, std::optional<RedisLogin> login)
    : binary_(redis_server_binary()),
      extra_args_(std::move(extra_args)),
      login_(std::move(login)),
      dir_("puente-redis-") {
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = free_port();
    if (launch()) {
      return;
    }
  }
  throw std::runtime_error("RedisServer: " + binary_ + " would not start; see " +
                           log_path().string());
}

RedisServer::~RedisServer() = default;

bool RedisServer::launch() {
  std::vector<std::string> args = {"--port",        std::to_string(port_),
                                   "--bind",        host_,
                                   "--save",        "",
                                   "--appendonly",  "yes",
                                   "--appendfsync", "everysec",
                                   "--dir",         dir_.path().string(),
                                   "--daemonize",   "no"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  process_.emplace(binary_, args, log_path());

  const auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) {
      return false;
    }
    // PONG alone is not enough: another test's Redis may hold the port we were given.
    if (ping() && answering_pid() == process_->pid()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_->kill_now();
  throw std::runtime_error("RedisServer: no PONG on port " + std::to_string(port_) +
                           " within 10 s; see " + log_path().string());
}

bool RedisServer::ping(std::chrono::milliseconds timeout) const {
  ProbeSocket socket(port_, timeout);
  if (login_ && socket.ask(resp_auth(*login_)) != "+OK") {
    return false;
  }
  return socket.ask("*1\r\n$4\r\nPING\r\n") == "+PONG";
}

std::optional<long> RedisServer::answering_pid() const {
  ProbeSocket socket(port_, std::chrono::seconds(1));
  if (login_ && socket.ask(resp_auth(*login_)) != "+OK") {
    return std::nullopt;
  }
  const auto info = socket.ask("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n");
  if (!info) {
    return std::nullopt;
  }
  const auto at = info->find("process_id:");
  if (at == std::string::npos) {
    return std::nullopt;
  }
  return std::strtol(info->c_str() + at + 11, nullptr, 10);
}

void RedisServer::stop() {
  if (process_) {
    process_->terminate(start_deadline);
  }
}

void RedisServer::restart() {
  stop();
  if (!launch()) {
    throw std::runtime_error("RedisServer: cannot restart on port " + std::to_string(port_) +
                             "; see " + log_path().string());
  }
}

void RedisServer::kill() {
  if (process_) {
    process_->kill_now();
  }
}

void RedisServer::pause() {
  if (process_) {
    process_->suspend();
  }
}

void RedisServer::resume() {
  if (process_) {
    process_->resume();
  }
}

}  // namespace puente::test
