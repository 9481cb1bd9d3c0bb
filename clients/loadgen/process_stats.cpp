#include "process_stats.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace puente::loadgen {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path + " (is the server still running?)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Adds the CPU seconds `pid` used, in user space and in the kernel, to `usage`.
void add_cpu_seconds(int pid, ProcessUsage& usage) {
  auto stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  // Fields after the command name, which is in parentheses and may hold spaces: state is
  // field 3, utime 14 and stime 15.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  usage.user_seconds += static_cast<double>(utime) / ticks;
  usage.system_seconds += static_cast<double>(stime) / ticks;
}

std::uint64_t rss_bytes(int pid) {
  std::istringstream status(slurp("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  return 0;
}

}  // namespace

ProcessUsage process_usage(const std::vector<int>& pids) {
  ProcessUsage usage;
  for (int pid : pids) {
    add_cpu_seconds(pid, usage);
    usage.rss_bytes += rss_bytes(pid);
  }
  return usage;
}

}  // namespace puente::loadgen
