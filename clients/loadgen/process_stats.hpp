#pragma once
// What a server process has used, from /proc: CPU seconds (utime + stime of
// /proc/<pid>/stat) and resident memory (VmRSS of /proc/<pid>/status), summed over its pids.

#include <cstdint>
#include <vector>

namespace puente::loadgen {

struct ProcessUsage {
  double cpu_seconds = 0;
  std::uint64_t rss_bytes = 0;
};

// Throws std::runtime_error if a pid is gone.
ProcessUsage process_usage(const std::vector<int>& pids);

}  // namespace puente::loadgen
