#pragma once
// A program started by a test (redis-server, puented, the CLI), killed and reaped when the
// object goes: nothing a test starts outlives it, even when the test fails or throws.
//
//   puente::test::ChildProcess redis("redis-server", {"--port", "7000"}, dir / "redis.log");
//   ...
//   redis.terminate();  // SIGTERM, SIGKILL after the timeout
//
// The child also gets SIGKILL if the test process dies (PR_SET_PDEATHSIG), so a crashed or
// aborted test run (ASan report) leaves no server behind. Linux ties that signal to the *thread*
// that forked: start children from a thread that lives as long as they should (the test's
// main thread, a fixture's SetUp), not from a short-lived worker thread.
//
// Not thread-safe: use one object from one thread.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace puente::test {

// How a child ended.
struct ProcessExit {
  bool exited = false;  // true: exit() with `code`; false: killed by `signal`
  int code = 0;
  int signal = 0;
};

class ChildProcess {
 public:
  // Starts `program` (a path, or a name looked up in PATH) with `args` (argv[1..]). Its stdout
  // and stderr are appended to `log_path` (discarded if empty). `env` adds to or overrides the
  // test's environment. Throws std::runtime_error if the program cannot be started.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& log_path = {},
               const std::map<std::string, std::string>& env = {});
  // SIGKILL and reap, if still running.
  ~ChildProcess();

  // Where `name` would be run from: itself if it holds a slash, else the first executable
  // match in PATH. nullopt if none.
  static std::optional<std::filesystem::path> find_program(const std::string& name);

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;

  pid_t pid() const { return pid_; }
  // False once the child has ended (it is reaped then; the status is in exit_status()).
  bool running();
  std::optional<ProcessExit> exit_status() const { return exit_; }
  // True once the child has ended without the test ending it (terminate, kill_now) or waiting
  // for its end (wait_for_exit): a server that died under a test (an exception, an abort).
  bool ended_unseen() { return pid_ > 0 && !running() && !end_seen_; }

  // Waits up to `timeout` for the child to end by itself.
  std::optional<ProcessExit> wait_for_exit(std::chrono::milliseconds timeout);
  // SIGTERM (with SIGCONT, in case it is suspended), then SIGKILL if it has not ended within
  // `timeout`; reaps it. Returns how it ended.
  ProcessExit terminate(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // SIGKILL and reap now.
  ProcessExit kill_now();

  // SIGSTOP / SIGCONT: the process keeps its sockets but answers nothing (fault tests).
  void suspend();
  void resume();
  // SIGHUP: a server reloads what it can (puented: its TLS certificate).
  void hang_up();

 private:
  void reset_from(ChildProcess& other) noexcept;
  bool reap(bool block);

  pid_t pid_ = -1;
  std::optional<ProcessExit> exit_;
  bool end_seen_ = false;
};

}  // namespace puente::test
