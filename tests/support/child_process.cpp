#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace puente::test {
namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string item = *entry;
    const std::string name = item.substr(0, item.find('='));
    if (extra.find(name) == extra.end()) {
      out.push_back(item);
    }
  }
  for (const auto& [name, value] : extra) {
    out.push_back(name + "=" + value);
  }
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

ProcessExit decode(int status) {
  ProcessExit exit;
  if (WIFEXITED(status)) {
    exit.exited = true;
    exit.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    exit.signal = WTERMSIG(status);
  }
  return exit;
}

}  // namespace

std::optional<std::filesystem::path> ChildProcess::find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return std::filesystem::path(name);
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t begin = 0;
  while (begin <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', begin), dirs.size());
    const std::string dir = end > begin ? dirs.substr(begin, end - begin) : ".";
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return std::filesystem::path(candidate);
    }
    begin = end + 1;
  }
  return std::nullopt;
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::filesystem::path& log_path,
                           const std::map<std::string, std::string>& env) {
  // Everything the child needs is built before fork: after fork in a multithreaded test only
  // async-signal-safe calls are allowed, so the child just execs.
  const auto found = find_program(program);
  if (!found) {
    throw std::runtime_error("ChildProcess: " + program + " not found in PATH");
  }
  const std::string file = found->string();
  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = merged_environment(env);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);
  const std::string log = log_path.empty() ? "/dev/null" : log_path.string();

  // The child reports a failed exec through this pipe; a successful exec closes it (CLOEXEC).
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("ChildProcess: pipe: ") + std::strerror(errno));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(report[0]);
    ::close(report[1]);
    throw std::runtime_error(std::string("ChildProcess: fork: ") + std::strerror(error));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);  // the test died before prctl took effect
    }
    ::setpgid(0, 0);  // its own group: a terminal's Ctrl-C goes to the test, which cleans up
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (fd >= 0 && devnull >= 0) {
      ::dup2(devnull, STDIN_FILENO);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::execve(file.c_str(), argv.data(), envp.data());
    }
    const int error = errno;
    (void)!::write(report[1], &error, sizeof error);
    ::_exit(127);
  }

  ::close(report[1]);
  int error = 0;
  ssize_t got;
  do {
    got = ::read(report[0], &error, sizeof error);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  pid_ = pid;
  if (got > 0) {
    reap(true);
    pid_ = -1;
    throw std::runtime_error("ChildProcess: cannot start " + file + ": " + std::strerror(error));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_) {
    kill_now();
  }
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept { reset_from(other); }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && !exit_) {
      kill_now();
    }
    reset_from(other);
  }
  return *this;
}

void ChildProcess::reset_from(ChildProcess& other) noexcept {
  pid_ = other.pid_;
  exit_ = other.exit_;
  end_seen_ = other.end_seen_;
  other.pid_ = -1;
  other.exit_.reset();
  other.end_seen_ = false;
}

bool ChildProcess::reap(bool block) {
  if (pid_ <= 0 || exit_) {
    return true;
  }
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == pid_) {
    exit_ = decode(status);
    return true;
  }
  if (got < 0) {
    exit_ = ProcessExit{};  // not our child any more (ECHILD): nothing left to wait for
    return true;
  }
  return false;
}

bool ChildProcess::running() { return pid_ > 0 && !reap(false); }

std::optional<ProcessExit> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  end_seen_ = true;
  return exit_;
}

ProcessExit ChildProcess::terminate(std::chrono::milliseconds timeout) {
  end_seen_ = true;
  if (running()) {
    ::kill(pid_, SIGTERM);
    ::kill(pid_, SIGCONT);  // a stopped process handles SIGTERM only once continued
    if (!wait_for_exit(timeout)) {
      return kill_now();
    }
  }
  return exit_.value_or(ProcessExit{});
}

ProcessExit ChildProcess::kill_now() {
  end_seen_ = true;
  if (pid_ > 0 && !exit_) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  return exit_.value_or(ProcessExit{});
}

void ChildProcess::suspend() {
  if (running()) {
    ::kill(pid_, SIGSTOP);
  }
}

void ChildProcess::resume() {
  if (running()) {
    ::kill(pid_, SIGCONT);
  }
}

void ChildProcess::hang_up() {
  if (running()) {
    ::kill(pid_, SIGHUP);
  }
}

}  // namespace puente::test
