#include "bench_run.hpp"

#include "bench_geography.hpp"
#include "bench_roster.hpp"
#include "latency_histogram.hpp"
#include "process_stats.hpp"
#include "report_stream.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace puente::loadgen {

namespace {

using namespace std::chrono_literals;

// A worker process and the two pipes to it.
class Worker {
 public:
  Worker(const std::filesystem::path& self, const std::vector<std::string>& args) {
    int to_child[2], from_child[2];
    if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]})
      posix_spawn_file_actions_addclose(&actions, fd);
    std::vector<char*> argv{const_cast<char*>(self.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, self.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    if (rc != 0) throw std::runtime_error("cannot start a worker: " + std::string(strerror(rc)));
    in_ = fdopen(to_child[1], "w");
    out_ = fdopen(from_child[0], "r");
  }
  ~Worker() {
    std::fputs("quit\n", in_);
    std::fclose(in_);
    std::fclose(out_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }

  void tell(const std::string& command) {
    std::fputs((command + "\n").c_str(), in_);
    std::fflush(in_);
  }
  // The next line it prints, without the newline.
  std::string hear() {
    std::string line;
    for (int c; (c = std::fgetc(out_)) != EOF && c != '\n';) line.push_back(static_cast<char>(c));
    if (line.empty()) throw std::runtime_error("a worker stopped (see its messages above)");
    return line;
  }
  std::string ask(const std::string& command) {
    tell(command);
    return hear();
  }

 private:
  pid_t pid_ = 0;
  FILE* in_ = nullptr;
  FILE* out_ = nullptr;
};

std::string join_servers(const std::vector<client::ServerAddress>& servers) {
  std::string out;
  for (const auto& s : servers) out += (out.empty() ? "" : ",") + s.to_string();
  return out;
}

struct PhaseResult {
  std::string load;
  double target_deliveries = 0;
  LatencyHistogram latency;
  std::uint64_t received = 0, expected = 0, lost = 0, duplicates = 0, closed = 0;
  double deliveries_per_second = 0, rss_mb = 0;
  // CPU per delivery, microseconds: the server's in user space and in the kernel, and Redis's
  // (user and kernel together; 0 when no Redis pid was given).
  double user_micros_per_delivery = 0, system_micros_per_delivery = 0,
         redis_micros_per_delivery = 0;
  double cpu_micros_per_delivery() const {
    return user_micros_per_delivery + system_micros_per_delivery;
  }
  double reports_per_second = 0;  // accepted by the server, all streams
  std::uint64_t post_errors = 0;
  LatencyHistogram answers;        // post to answer, the observed rooms' posts only
  LatencyHistogram flood_answers;  // and the flood's
};

double ms(std::int64_t micros) { return static_cast<double>(micros) / 1000.0; }

class BenchRun {
 public:
  explicit BenchRun(const RunPlan& plan) : plan_(plan) {
    rooms_ = read_rooms(plan.roster_dir / "rooms.tsv");
    if (rooms_.size() < plan.rooms + (plan.flood_reports > 0 ? plan.flood_rooms : 0))
      throw std::runtime_error("the roster folder has fewer neighborhoods than the run needs");
    if (plan.target == Target::puente)
      operator_token_ = read_lines(plan.roster_dir / "operator-token").at(0);
  }

  int run() {
    auto idle = process_usage(plan_.pids);
    auto connect_start = std::chrono::steady_clock::now();
    spawn_workers();
    auto connect_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - connect_start).count();
    // Subscriptions reach Redis a little after the upgrade (Nchan): let them settle.
    std::this_thread::sleep_for(1s);
    auto connected = process_usage(plan_.pids);
    idle_kib_ = (static_cast<double>(connected.rss_bytes) - static_cast<double>(idle.rss_bytes)) /
                1024.0 / static_cast<double>(std::max<std::size_t>(live_, 1));
    connect_rate_ = static_cast<double>(live_) / connect_seconds;
    std::cerr << fmt::format(
        "{}: {} observers live ({} failed) in {:.1f} s; RSS {:.0f} -> {:.0f} MB\n", plan_.label,
        live_, failed_, connect_seconds, idle.rss_bytes / 1e6, connected.rss_bytes / 1e6);

    bool complete = failed_ == 0;
    unsigned phase = 0;
    for (double d : plan_.deliveries) complete &= report(run_phase(++phase, d, 0));
    if (plan_.flood_reports > 0)
      complete &= report(run_phase(++phase, plan_.deliveries.at(0), plan_.flood_reports));
    workers_.clear();
    return plan_.require_complete && !complete ? 1 : 0;
  }

 private:
  void spawn_workers() {
    std::string rooms;
    for (std::size_t r = 0; r < plan_.rooms; ++r) rooms += (r ? "," : "") + rooms_[r].slug;
    std::size_t count = (plan_.observers + plan_.per_worker - 1) / plan_.per_worker;
    for (std::size_t w = 0; w < count; ++w) {
      auto first = w * plan_.per_worker;
      auto n = std::min(plan_.per_worker, plan_.observers - first);
      std::vector<std::string> args{"worker",
                                    "--target",
                                    std::string(to_string(plan_.target)),
                                    "--server",
                                    join_servers(plan_.servers),
                                    "--source",
                                    fmt::format("127.0.0.{}", 2 + w),
                                    "--rooms",
                                    rooms,
                                    "--first",
                                    std::to_string(first),
                                    "--count",
                                    std::to_string(n)};
      if (plan_.target == Target::puente) {
        args.push_back("--tokens");
        args.push_back((plan_.roster_dir / "observer-tokens.txt").string());
      }
      workers_.push_back(std::make_unique<Worker>(plan_.self, args));
    }
    for (auto& w : workers_) {
      std::size_t live = 0, failed = 0;
      if (std::sscanf(w->hear().c_str(), "ready %zu %zu", &live, &failed) != 2)
        throw std::runtime_error("a worker said something unexpected");
      live_ += live;
      failed_ += failed;
    }
  }

  std::uint64_t delivered_so_far() {
    std::uint64_t total = 0;
    for (auto& w : workers_) total += std::stoull(w->ask("count").substr(6));
    return total;
  }

  PhaseResult run_phase(unsigned phase, double deliveries, double flood) {
    PhaseResult result;
    result.target_deliveries = deliveries;
    result.load = fmt::format("{:.0f}k deliveries/s{}", deliveries / 1000,
                              flood > 0 ? fmt::format(" + {:.0f} reports/s flood", flood) : "");
    for (auto& w : workers_)
      if (w->ask(fmt::format("begin {}", phase)) != "ok")
        throw std::runtime_error("a worker did not begin");

    double per_room = static_cast<double>(plan_.observers) / static_cast<double>(plan_.rooms);
    StreamPlan main{
        plan_.target,          plan_.servers,       operator_token_,   &rooms_, 0, plan_.rooms, 0,
        deliveries / per_room, plan_.phase_seconds, plan_.connections, phase};
    StreamPlan flooding = main;
    flooding.room_first = flooding.room_offset = static_cast<unsigned>(plan_.rooms);
    flooding.room_count = plan_.flood_rooms;
    flooding.rate = flood;

    run_phase_hook(fmt::format("begin {}", phase));
    auto before = process_usage(plan_.pids);
    auto redis_before = process_usage(plan_.redis_pids);
    auto start_ns = monotonic_ns();
    boost::asio::io_context ioc(1);
    ReportStream stream(ioc, main);
    stream.start([] {});
    std::optional<ReportStream> flood_stream;
    if (flood > 0) flood_stream.emplace(ioc, flooding).start([] {});
    ioc.run();

    // Deliveries still on their way: wait until they stop coming, all expected are in, or 30 s
    // passed (what has not come by then counts as lost).
    std::vector<std::uint32_t> sockets;
    std::uint64_t expected_total = 0;
    for (std::size_t r = 0; r < plan_.rooms; ++r)
      expected_total += static_cast<std::uint64_t>(stream.accepted_per_room()[r]) *
                        static_cast<std::uint64_t>(per_room);
    std::uint64_t last = delivered_so_far();
    for (int quiet = 0, waited = 0; quiet < 3 && waited < 60 && last < expected_total; ++waited) {
      std::this_thread::sleep_for(500ms);
      auto now = delivered_so_far();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
    auto after = process_usage(plan_.pids);
    auto redis_after = process_usage(plan_.redis_pids);

    std::vector<std::uint64_t> distinct(plan_.rooms, 0);
    std::vector<std::uint64_t> live(plan_.rooms, 0);
    std::int64_t last_ns = start_ns;
    for (auto& w : workers_) {
      auto line = w->ask("end");
      auto json = boost::json::parse(line.substr(line.find(' ') + 1)).as_object();
      result.latency.merge(LatencyHistogram::parse(std::string(json.at("histogram").as_string())));
      result.received += json.at("received").to_number<std::uint64_t>();
      result.duplicates += json.at("duplicates").to_number<std::uint64_t>();
      result.closed += json.at("closed").to_number<std::uint64_t>();
      last_ns = std::max(last_ns, json.at("last_ns").to_number<std::int64_t>());
      const auto& d = json.at("distinct").as_array();
      const auto& s = json.at("sockets").as_array();
      for (std::size_t r = 0; r < plan_.rooms; ++r) {
        distinct[r] += d.at(r).to_number<std::uint64_t>();
        live[r] += s.at(r).to_number<std::uint64_t>();
      }
    }
    for (std::size_t r = 0; r < plan_.rooms; ++r) {
      auto expected = static_cast<std::uint64_t>(stream.accepted_per_room()[r]) * live[r];
      result.expected += expected;
      result.lost += expected > distinct[r] ? expected - distinct[r] : 0;
    }
    double seconds = static_cast<double>(last_ns - start_ns) / 1e9;
    result.deliveries_per_second = seconds > 0 ? static_cast<double>(result.received) / seconds : 0;
    auto per_delivery = [&](double cpu_seconds) {
      return result.received ? cpu_seconds * 1e6 / static_cast<double>(result.received) : 0;
    };
    result.user_micros_per_delivery = per_delivery(after.user_seconds - before.user_seconds);
    result.system_micros_per_delivery = per_delivery(after.system_seconds - before.system_seconds);
    result.redis_micros_per_delivery =
        per_delivery(redis_after.cpu_seconds() - redis_before.cpu_seconds());
    result.rss_mb = static_cast<double>(after.rss_bytes) / 1e6;
    auto accepted = stream.accepted() + (flood_stream ? flood_stream->accepted() : 0);
    // Over the time it took to have them all answered, not the schedule's.
    result.reports_per_second = static_cast<double>(accepted) / std::max(stream.seconds(), 1e-3);
    result.post_errors = stream.failed() + (flood_stream ? flood_stream->failed() : 0);
    result.answers = stream.answer_latency();
    if (flood_stream) result.flood_answers = flood_stream->answer_latency();
    for (const ReportStream* s : {&stream, flood_stream ? &*flood_stream : nullptr})
      if (s && s->failed())
        std::cerr << plan_.label << ": " << s->failed()
                  << " posts failed, last: " << s->last_error() << "\n";
    run_phase_hook(fmt::format("end {} {}", phase, result.received));
    return result;
  }

  void run_phase_hook(const std::string& args) {
    if (plan_.phase_hook.empty()) return;
    if (std::system((plan_.phase_hook + " " + args).c_str()) != 0)
      throw std::runtime_error("the phase hook failed: " + plan_.phase_hook + " " + args);
  }

  bool report(const PhaseResult& r) {
    auto row = fmt::format(
        "| {} | {} | {} | {:.0f} | {:.2f} | {:.2f} | {:.2f} | {:.1f} | {} | {} | {:.2f} ({:.2f} + "
        "{:.2f}) | {} | {:.0f} | {:.1f} | {:.0f} | {:.0f} |",
        plan_.label, r.load, live_, r.deliveries_per_second, ms(r.latency.percentile(0.5)),
        ms(r.latency.percentile(0.99)), ms(r.latency.percentile(0.999)), ms(r.latency.max()),
        r.lost, r.duplicates, r.cpu_micros_per_delivery(), r.user_micros_per_delivery,
        r.system_micros_per_delivery,
        plan_.redis_pids.empty() ? std::string("-")
                                 : fmt::format("{:.2f}", r.redis_micros_per_delivery),
        r.rss_mb, idle_kib_, connect_rate_, r.reports_per_second);
    std::cout << row << std::endl;
    // Where the time went: a slow answer means intake (the node and Redis before the alert is
    // published); a quick answer but a slow alert means the way out (pub/sub, hub, sockets).
    std::cerr << fmt::format("{}: {}: posts answered in p50 {:.2f} ms, p99 {:.2f} ms", plan_.label,
                             r.load, ms(r.answers.percentile(0.5)), ms(r.answers.percentile(0.99)));
    if (r.flood_answers.count() > 0)
      std::cerr << fmt::format("; the flood's in p50 {:.2f} ms, p99 {:.2f} ms",
                               ms(r.flood_answers.percentile(0.5)),
                               ms(r.flood_answers.percentile(0.99)));
    std::cerr << "\n";
    if (!plan_.json.empty()) {
      std::ofstream(plan_.json, std::ios::app) << fmt::format(
          R"({{"label":"{}","target":"{}","load":"{}","observers":{},"rooms":{},"target_deliveries":{:.0f},)"
          R"("deliveries_per_second":{:.0f},"p50_ms":{:.3f},"p99_ms":{:.3f},"p999_ms":{:.3f},"max_ms":{:.3f},)"
          R"("received":{},"expected":{},"lost":{},"duplicates":{},"closed":{},"cpu_us_per_delivery":{:.3f},)"
          R"("cpu_user_us_per_delivery":{:.3f},"cpu_system_us_per_delivery":{:.3f},"redis_cpu_us_per_delivery":{:.3f},)"
          R"("rss_mb":{:.1f},"idle_kib_per_observer":{:.2f},"connects_per_second":{:.0f},"reports_per_second":{:.0f},)"
          R"("post_errors":{}}})"
          "\n",
          plan_.label, to_string(plan_.target), r.load, live_, plan_.rooms, r.target_deliveries,
          r.deliveries_per_second, ms(r.latency.percentile(0.5)), ms(r.latency.percentile(0.99)),
          ms(r.latency.percentile(0.999)), ms(r.latency.max()), r.received, r.expected, r.lost,
          r.duplicates, r.closed, r.cpu_micros_per_delivery(), r.user_micros_per_delivery,
          r.system_micros_per_delivery, r.redis_micros_per_delivery, r.rss_mb, idle_kib_,
          connect_rate_, r.reports_per_second, r.post_errors);
    }
    bool complete =
        r.lost == 0 && r.duplicates == 0 && r.closed == 0 && r.post_errors == 0 && r.received > 0;
    if (!complete)
      std::cerr << fmt::format(
          "{}: {}: {} of {} deliveries lost, {} duplicated, {} sockets closed, {} posts failed\n",
          plan_.label, r.load, r.lost, r.expected, r.duplicates, r.closed, r.post_errors);
    return complete;
  }

  const RunPlan& plan_;
  std::vector<BenchRoom> rooms_;
  std::string operator_token_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::size_t live_ = 0, failed_ = 0;
  double idle_kib_ = 0, connect_rate_ = 0;
};

}  // namespace

int run_benchmark(const RunPlan& plan) {
  // A worker that dies must not take the parent with it on a write to its pipe.
  ::signal(SIGPIPE, SIG_IGN);
  return BenchRun(plan).run();
}

}  // namespace puente::loadgen
