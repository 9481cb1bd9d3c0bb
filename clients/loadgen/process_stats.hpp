#pragma once
// What a server process has used, from /proc: CPU seconds in user space and in the kernel
// (utime and stime of /proc/<pid>/stat) and resident memory (VmRSS of /proc/<pid>/status),
// summed over its pids.

#include <cstdint>
#include <vector>

namespace puente::loadgen {

struct ProcessUsage {
  double user_seconds = 0, system_seconds = 0;
  std::uint64_t rss_bytes = 0;

  double cpu_seconds() const { return user_seconds + system_seconds; }
};

// Throws std::runtime_error if a pid is gone.
ProcessUsage process_usage(const std::vector<int>& pids);

}  // namespace puente::loadgen
