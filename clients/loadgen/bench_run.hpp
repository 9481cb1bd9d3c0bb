#pragma once
// `puente-loadgen run`: one server (or a few nodes of it) under the benchmark's loads.
//
// The parent process spawns worker processes (`puente-loadgen worker`), each holding at most
// `per_worker` observers on its own loopback source address (127.0.0.2, .3, ...): one process
// may hold only about 20,000 open files here, and one source address has 28,000 ephemeral
// ports. Workers talk to the parent over their stdin/stdout, one line each way:
//   worker -> "ready <live> <failed>"            all observers connected (or given up on)
//   parent -> "begin <phase>"  worker -> "ok"    count afresh for a phase
//   parent -> "count"          worker -> "count <deliveries so far>"
//   parent -> "end"            worker -> "result {json}"   (PhaseTally::to_json)
//   parent -> "quit"
// The parent itself publishes: at each phase's rate, to rooms the observers follow, and in the
// flood phase also to rooms nobody follows. It samples the server's CPU and RSS from /proc
// before and after, and prints one Markdown table row per phase (and a JSON line to `json`).

#include "peer_protocol.hpp"
#include "server_address.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace puente::loadgen {

struct RunPlan {
  Target target = Target::puente;
  std::vector<client::ServerAddress> servers;
  std::vector<int> pids;             // the server's processes, for CPU and RSS
  std::vector<int> redis_pids;       // the Redis servers behind it, for their CPU; may be none
  std::filesystem::path roster_dir;  // from `puente-loadgen roster`: rooms.tsv, Puente's tokens
  std::size_t rooms = 100, observers = 10'000, per_worker = 5'000;
  std::vector<double> deliveries;  // one phase per target rate, deliveries per second
  double flood_reports =
      0;  // > 0: one more phase, deliveries[0] plus this many reports/s elsewhere
  std::size_t flood_rooms = 10;
  std::chrono::seconds phase_seconds{15};
  unsigned connections = 32;  // publishing connections
  std::string label;
  std::filesystem::path json;     // appended to, one line per phase; empty: none
  bool require_complete = false;  // exit 1 if an alert was lost or duplicated
  // Run as `<phase_hook> begin <phase>` just before a phase publishes and `<phase_hook> end
  // <phase> <deliveries received>` once its deliveries are in (a shell command; empty: none).
  // fanout.sh --callgrind counts the servers' instructions between the two.
  std::string phase_hook;
  std::filesystem::path self;  // this program, to spawn workers
};

int run_benchmark(const RunPlan& plan);

// The worker's side (reads commands on stdin).
struct WorkerPlan {
  Target target = Target::puente;
  std::vector<client::ServerAddress> servers;
  std::string source_address;
  std::vector<std::string> rooms;
  std::filesystem::path tokens;  // observer-tokens.txt; empty for the peers
  std::size_t first = 0, count = 0;
};

int run_worker(const WorkerPlan& plan);

}  // namespace puente::loadgen
