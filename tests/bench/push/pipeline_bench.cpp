// The Web Push bench, whole pipeline: how many pushes a real puented gets accepted per CPU-second
// from report to push service, with a real redis-server and the tests' own push service on
// loopback (tests/push_service, Node.js: it decrypts each push and checks its VAPID JWT). Not a
// timed test: it prints one table row (tests/bench/push.sh puts it in docs/benchmarks.md) and
// fails only if a push is lost, refused or sent twice.
//
//   puente-push-pipeline-bench [--observers N] [--reports K] [--header]
//
// A roster of N legal observers of Boyle Heights, each with one phone registered through
// POST /v1/me/push-subscriptions and no socket, and one operator. One report first warms the
// node (scripts loaded, TLS connections made, the VAPID header signed); then K reports, each
// at its own place (so each opens an incident and sends a VERIFY to all N): the rung worker
// queues N push jobs per alert, the push dispatch claims them from Redis under [push]
// sends_per_second (set far above what is sent), builds each payload, encrypts, sends and
// finishes it. Measured from the first of the K reports until the push service accepted all
// K * N and every job is finished in Redis: CPU-seconds of puented (user and system), of
// redis-server and of the push service, from /proc/<pid>/stat, and the TLS connections the
// measured pushes came on that the warm-up had not made (handshakes, each worth a few pushes). All
// three share this machine's cores with whatever else runs: the wall rate depends on that, the CPU
// per push much less.
#include "channels/push/vapid.hpp"
#include "core/bearer_token.hpp"
#include "loopback_push_service.hpp"
#include "process_cpu.hpp"
#include "redis_server.hpp"
#include "temp_dir.hpp"
#include "test_network.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;
using puente::bench::process_cpu;
using puente::bench::ProcessCpu;

struct Options {
  int observers = 1000, reports = 10;
  bool header = false;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--header") {
      options.header = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(name + " needs a value");
    const int value = std::atoi(argv[++i]);
    if (value <= 0) throw std::invalid_argument(name + " needs a positive number");
    if (name == "--observers")
      options.observers = value;
    else if (name == "--reports")
      options.reports = value;
    else
      throw std::invalid_argument("unknown option " + name);
  }
  return options;
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// An integer-answered inline Redis command ("ZCARD puente:push-jobs").
long long redis_integer(unsigned short port, const std::string& command) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(socket, boost::asio::buffer(command + "\r\n"));
  std::string reply;
  boost::asio::read_until(socket, boost::asio::dynamic_buffer(reply), "\r\n");
  if (reply.empty() || reply[0] != ':') throw std::runtime_error(command + " answered " + reply);
  return std::stoll(reply.substr(1));
}

// The network: one operator, `observers` legal observers of Boyle Heights (half read Spanish,
// half English), the metrics scraper. Returns the tokens by responder id.
std::map<std::string, std::string> write_roster(const std::filesystem::path& file, int observers) {
  std::map<std::string, std::string> tokens;
  std::ofstream roster(file);
  const auto responder = [&](const std::string& id, const char* roles, const char* neighborhoods,
                             const char* languages) {
    tokens[id] = puente::core::new_bearer_token();
    roster << "[[responder]]\nid = \"" << id << "\"\nname = \"Bench " << id << "\"\nroles = ["
           << roles << "]\nneighborhoods = [" << neighborhoods << "]\nlanguages = [" << languages
           << "]\ntoken_sha256 = \"" << puente::core::sha256_hex(tokens[id]) << "\"\n\n";
  };
  responder("bench-operator", R"("operator")", "", R"("en")");
  responder("bench-metrics", R"("metrics")", "", R"("en")");
  for (int i = 0; i < observers; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "bench-obs-%05d", i);
    responder(id, R"("legal_observer")", R"("boyle-heights")", i % 2 ? R"("en")" : R"("es")");
  }
  return tokens;
}

// The bench's config differs from config/puented.toml only where the bench needs it: pushes to
// the loopback service (as the push tests allow), a send rate far above what is sent, logs at
// warn, no request rate limits (one operator posts every report), reports never corroborating
// one another (each opens its own incident), and the socket grace at 100 ms (nobody has one).
void write_config(const std::filesystem::path& dir,
                  const puente::test::LoopbackPushService& service) {
  std::ofstream(dir / "puented.toml")
      << "[node]\nthreads = 2\nstate_dir = \"state\"\n"
      << "[geography]\nneighborhoods = \"" << PUENTE_LA_DATA
      << "/la-city-neighborhoods-v6.geojson\"\n"
      << "[roster]\nfile = \"roster.toml\"\n"
      << "[network]\ntemplates = \"" << PUENTE_SOURCE_DIR << "/config/templates\"\n"
      << "[log]\nlevel = \"warn\"\n"
      << "[rate_limits]\nreports_per_token_per_second = 0\nrequests_per_token_per_second = 0\n"
      << "requests_per_address_per_second = 0\n"
      << "[policy]\ndedup_meters = 1\ndedup_window_seconds = 1\n"
      << "[push]\nvapid_key_file = \"" << (dir / "vapid.pem").string() << "\"\n"
      << "subject = \"mailto:bench@puente.test\"\nallowed_hosts = [\"localhost\"]\n"
      << "allow_private_addresses = true\nca_file = \"" << service.certificate().string() << "\"\n"
      << "sends_per_second = 1000000\n"
      << "[delivery]\nsocket_grace_ms = 100\n";
}

// Report `i`'s place: Boyle Heights, 11 m further north each, so none corroborates another.
puente::test::Place report_place(int i) {
  const auto spot = puente::test::boyle_heights_spot(i % 12);
  return {spot.lat + 0.0001 * (i / 12), spot.lon};
}

void post_report(puente::test::PuentedNode& node, const std::string& token, int i) {
  const auto place = report_place(i);
  const auto answer = node.call(http::verb::post, "/v1/reports", token,
                                puente::test::report_json(place.lat, place.lon));
  if (answer.status != 201) throw std::runtime_error("a report was answered " + answer.body);
}

// Waits until the service has received `count` pushes; false if none came for 30 s.
bool wait_for_received(puente::test::LoopbackPushService& service, long long count) {
  long long seen = -1;
  auto progress = std::chrono::steady_clock::now();
  while (true) {
    const auto received = service.summary().at("received").as_int64();
    if (received >= count) return true;
    if (received != seen) seen = received, progress = std::chrono::steady_clock::now();
    if (std::chrono::steady_clock::now() - progress > 30s) return false;
    std::this_thread::sleep_for(20ms);
  }
}

// Waits until no push job is due or claimed in Redis: every push finished.
bool wait_for_finished(unsigned short redis_port) {
  for (int i = 0; i < 3000; ++i) {
    if (redis_integer(redis_port, "ZCARD puente:push-jobs") == 0 &&
        redis_integer(redis_port, "ZCARD puente:push-jobs:leased") == 0)
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

int run(const Options& options) {
  puente::test::TempDir dir("puente-push-pipeline-");
  puente::push::VapidKey::generate().write_pem_file(dir.path() / "vapid.pem");
  puente::test::RedisServer redis;
  puente::test::LoopbackPushService service;
  const auto tokens = write_roster(dir.path() / "roster.toml", options.observers);
  write_config(dir.path(), service);
  std::filesystem::create_directories(dir.path() / "node");
  puente::test::PuentedNode node(dir.path() / "puented.toml", redis.port(), "bench",
                                 dir.path() / "node");

  // Each observer's phone, registered as a page does.
  std::map<std::string, int> pushes_per_phone;
  for (const auto& [id, token] : tokens) {
    if (!id.starts_with("bench-obs-")) continue;
    const auto phone = service.subscribe();
    const auto body = boost::json::serialize(
        boost::json::object{{"endpoint", phone.endpoint},
                            {"keys", {{"p256dh", phone.p256dh}, {"auth", phone.auth}}},
                            {"device", "bench phone"}});
    const auto answer = node.call(http::verb::post, "/v1/me/push-subscriptions", token, body);
    if (answer.status != 201) throw std::runtime_error("a phone was refused: " + answer.body);
    pushes_per_phone[phone.id] = 0;
  }
  const long long n = options.observers;
  const auto& op = tokens.at("bench-operator");

  post_report(node, op, 0);  // the warm-up
  if (!wait_for_received(service, n) || !wait_for_finished(redis.port()))
    throw std::runtime_error("the warm-up's pushes did not all go out: " + service.log());

  const pid_t pids[] = {node.process().pid(), redis.pid(), service.pid()};
  ProcessCpu before[3], after[3];
  for (int i = 0; i < 3; ++i) before[i] = process_cpu(pids[i]);
  const double start = wall_seconds();
  for (int i = 1; i <= options.reports; ++i) post_report(node, op, i);
  const long long expected = n * (options.reports + 1);
  const bool all_received = wait_for_received(service, expected);
  const double elapsed = wall_seconds() - start;
  const bool all_finished = all_received && wait_for_finished(redis.port());
  for (int i = 0; i < 3; ++i) after[i] = process_cpu(pids[i]) - before[i];

  // Every phone got each alert once: nothing lost, nothing sent twice, every push decrypted.
  std::this_thread::sleep_for(300ms);
  // The TLS connections the measured pushes came on that no warm-up push did: new handshakes.
  std::set<std::int64_t> warm_connections, new_connections;
  long long index = 0;
  for (const auto& push : service.received()) {
    ++pushes_per_phone[std::string(push.at("subscription").as_string())];
    const auto connection = push.at("connection").to_number<std::int64_t>();
    if (index++ < n)
      warm_connections.insert(connection);
    else if (!warm_connections.count(connection))
      new_connections.insert(connection);
  }
  int wrong = 0;
  for (const auto& [phone, count] : pushes_per_phone) wrong += count != options.reports + 1;
  const auto summary = service.summary();
  const auto metrics = node.call(http::verb::get, "/metrics", tokens.at("bench-metrics")).body;
  const bool counted = metrics.find("puente_pushes_sent_total " + std::to_string(expected) +
                                    "\n") != std::string::npos;

  const double pushes = static_cast<double>(n * options.reports);
  double load[3] = {};
  getloadavg(load, 3);
  if (options.header)
    std::printf(
        "| pushes | wall s | accepted per wall second | puented user s | puented system s | "
        "pushes per puented CPU-second | µs puented CPU each | µs redis-server CPU each | µs "
        "push service CPU each | TLS connections opened | load average |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  std::printf(
      "| %.0f | %.2f | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %zu | %.2f %.2f %.2f |\n",
      pushes, elapsed, pushes / elapsed, after[0].user, after[0].system, pushes / after[0].total(),
      after[0].total() / pushes * 1e6, after[1].total() / pushes * 1e6,
      after[2].total() / pushes * 1e6, new_connections.size(), load[0], load[1], load[2]);
  std::fflush(stdout);

  bool ok = true;
  const auto fail = [&](const std::string& why) {
    std::cerr << "puente-push-pipeline-bench: " << why << "\n";
    ok = false;
  };
  if (!all_received) fail("the push service did not receive every push");
  if (!all_finished) fail("push jobs were left in Redis");
  if (wrong > 0) fail(std::to_string(wrong) + " phones did not get each alert exactly once");
  if (summary.at("decrypted").as_int64() != expected || summary.at("failed").as_int64() != 0)
    fail("the push service decrypted " + std::to_string(summary.at("decrypted").as_int64()) +
         " of " + std::to_string(expected) + " pushes, refused " +
         std::to_string(summary.at("failed").as_int64()));
  if (!counted) {
    std::string lines;
    for (std::size_t at = metrics.find("puente_push"); at != std::string::npos;
         at = metrics.find("\npuente_push", at + 1))
      lines += metrics.substr(at, metrics.find('\n', at + 1) - at) + "\n";
    fail("puente_pushes_sent_total is not " + std::to_string(expected) + ":\n" + lines);
  }
  if (!ok) std::cerr << "the node's log: " << node.log_path() << "\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& failure) {
    std::cerr << "puente-push-pipeline-bench: " << failure.what() << "\n";
    return 2;
  }
}
