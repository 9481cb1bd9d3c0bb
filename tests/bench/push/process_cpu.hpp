#pragma once
// What one process has used of the CPU so far, user and system apart, from /proc/<pid>/stat
// (utime and stime, every thread of it): the pipeline bench reads puented's, redis-server's and
// the push service's before and after a run, so CPU-seconds are counted, not wall time, on a
// machine other work shares.

#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>

namespace puente::bench {

struct ProcessCpu {
  double user = 0, system = 0;  // seconds
  double total() const { return user + system; }
  ProcessCpu operator-(const ProcessCpu& before) const {
    return {user - before.user, system - before.system};
  }
};

inline ProcessCpu process_cpu(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  const std::string stat{std::istreambuf_iterator<char>(in), {}};
  // The name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) throw std::runtime_error("no /proc/<pid>/stat for a bench child");
  std::istringstream fields(stat.substr(close + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;  // state ... cmajflt
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {static_cast<double>(utime) / ticks, static_cast<double>(stime) / ticks};
}

}  // namespace puente::bench
