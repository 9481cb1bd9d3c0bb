// puente-loadgen: the benchmark driver. Drives Puente and its two peers (socket.io, Nchan) with
// the same client code; see tests/bench/fanout.sh for how the benchmark uses it.
//
//   puente-loadgen roster --observers 10000 --neighborhoods 100 --geojson F --out DIR
//   puente-loadgen run --target puente --server 127.0.0.1:8080 --pid 1234 --roster DIR
//       --deliveries 50000 --deliveries 300000 --flood 5000 --label "puented"
#include "bench_geography.hpp"
#include "bench_roster.hpp"
#include "bench_run.hpp"

#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <iostream>

namespace {

using namespace puente;

std::vector<client::ServerAddress> parse_servers(const std::string& list) {
  std::vector<client::ServerAddress> servers;
  for (std::size_t at = 0; at <= list.size();) {
    auto comma = std::min(list.find(',', at), list.size());
    servers.push_back(client::ServerAddress::parse(list.substr(at, comma - at)));
    // The load generator measures the server's own work: it speaks plain HTTP on loopback only.
    if (servers.back().tls)
      throw std::invalid_argument("puente-loadgen speaks plain HTTP only; give http:// addresses");
    at = comma + 1;
  }
  return servers;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> parts;
  for (std::size_t at = 0; at <= list.size();) {
    auto comma = std::min(list.find(',', at), list.size());
    parts.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return parts;
}

// Each observer is a file descriptor: the soft limit goes up to the hard one.
void raise_open_files() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

loadgen::Target target_named(const std::string& name) {
  auto target = loadgen::parse_target(name);
  if (!target)
    throw std::invalid_argument("unknown target \"" + name + "\" (puente, socketio, nchan)");
  return *target;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"puente-loadgen: benchmark driver for Puente and its peers"};
  app.require_subcommand(1);

  auto* roster =
      app.add_subcommand("roster", "write a benchmark roster and its tokens into a folder");
  std::size_t observers = 10'000, neighborhoods = 100;
  std::string geojson, out;
  roster->add_option("--observers", observers, "legal observers")->capture_default_str();
  roster->add_option("--neighborhoods", neighborhoods, "neighborhoods they spread over")
      ->capture_default_str();
  roster->add_option("--geojson", geojson, "the server's neighborhoods file")->required();
  std::size_t flood_rooms = 10;
  roster
      ->add_option("--flood-neighborhoods", flood_rooms,
                   "more neighborhoods, nobody's, for the flood phase")
      ->capture_default_str();
  roster->add_option("--out", out, "folder for roster.toml, operator-token, observer-tokens.txt")
      ->required();

  auto* run =
      app.add_subcommand("run", "drive one server (or its nodes) through the benchmark's phases");
  loadgen::RunPlan plan;
  std::string target = "puente", servers, roster_dir;
  std::vector<int> pids;
  int seconds = 15;
  run->add_option("--target", target, "puente, socketio or nchan")->capture_default_str();
  run->add_option("--server", servers,
                  "HOST:PORT[,HOST:PORT...]: observers and posts are split over them")
      ->required();
  run->add_option("--pid", plan.pids, "the server's process ids (repeat): CPU and RSS are summed")
      ->required();
  run->add_option("--redis-pid", plan.redis_pids,
                  "the process ids of the Redis servers behind it (repeat): their CPU per "
                  "delivery is reported too");
  run->add_option("--roster", roster_dir, "folder written by `roster`: rooms, tokens")->required();
  run->add_option("--observers", plan.observers)->capture_default_str();
  run->add_option("--neighborhoods", plan.rooms)->capture_default_str();
  run->add_option("--per-worker", plan.per_worker, "observers per worker process")
      ->capture_default_str();
  run->add_option("--deliveries", plan.deliveries, "target deliveries/s, one phase each (repeat)")
      ->required();
  run->add_option("--flood", plan.flood_reports,
                  "reports/s into other neighborhoods in a last phase at the first rate");
  run->add_option("--seconds", seconds, "publishing time per phase")->capture_default_str();
  run->add_option("--connections", plan.connections, "publishing HTTP connections")
      ->capture_default_str();
  run->add_option("--label", plan.label, "the table's first column")->required();
  run->add_option("--json", plan.json, "append one JSON line per phase here");
  run->add_flag("--require-complete", plan.require_complete,
                "exit 1 if an alert was lost or duplicated");
  run->add_option("--phase-hook", plan.phase_hook,
                  "shell command run as `CMD begin PHASE` before a phase and `CMD end PHASE "
                  "RECEIVED` once its deliveries are in");

  auto* worker = app.add_subcommand("worker", "(internal) hold observers for `run`");
  loadgen::WorkerPlan worker_plan;
  std::string rooms;
  worker->add_option("--target", target);
  worker->add_option("--server", servers)->required();
  worker->add_option("--source", worker_plan.source_address);
  worker->add_option("--rooms", rooms)->required();
  worker->add_option("--tokens", worker_plan.tokens);
  worker->add_option("--first", worker_plan.first);
  worker->add_option("--count", worker_plan.count);

  CLI11_PARSE(app, argc, argv);
  try {
    raise_open_files();
    if (roster->parsed()) {
      auto rooms = loadgen::bench_rooms(geojson, neighborhoods + flood_rooms);
      std::vector<std::string> slugs;
      for (std::size_t r = 0; r < neighborhoods; ++r) slugs.push_back(rooms[r].slug);
      loadgen::write_bench_roster(out, slugs, observers);
      loadgen::write_rooms(std::filesystem::path(out) / "rooms.tsv", rooms);
      return 0;
    }
    if (worker->parsed()) {
      worker_plan.target = target_named(target);
      worker_plan.servers = parse_servers(servers);
      worker_plan.rooms = split(rooms);
      return loadgen::run_worker(worker_plan);
    }
    plan.target = target_named(target);
    plan.servers = parse_servers(servers);
    plan.roster_dir = roster_dir;
    plan.phase_seconds = std::chrono::seconds(seconds);
    plan.self = std::filesystem::read_symlink("/proc/self/exe");
    return loadgen::run_benchmark(plan);
  } catch (const std::exception& e) {
    std::cerr << "puente-loadgen: " << e.what() << "\n";
    return 2;
  }
}
