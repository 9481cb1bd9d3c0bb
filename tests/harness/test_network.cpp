#include "test_network.hpp"

#include "connection_error.hpp"
#include "core/bearer_token.hpp"
#include "file_text.hpp"
#include "free_port.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <fstream>
#include <sstream>

namespace puente::test {

namespace http = boost::beast::http;

namespace {

struct TestResponder {
  const char* id;
  const char* roles;
  const char* neighborhoods;
  const char* languages = R"("es")";
  const char* extra = "";  // more TOML lines: shifts, standby
};

// The last lines of a node's log, for a failure's message: the test's folder, and the log with
// it, is gone once the test ends.
std::string log_tail(const std::filesystem::path& log, std::size_t count) {
  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  std::string tail;
  for (auto i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i)
    tail += "\n  " + lines[i];
  return tail;
}

// A weekly shift three days from today (UTC): never on now, whatever the zone's date is.
std::string shift_not_now() {
  static const char* days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  unsigned weekday = std::chrono::weekday(today).c_encoding();
  return std::string("shifts = [ { days = [\"") + days[(weekday + 3) % 7] +
         "\"], start = \"10:00\", end = \"11:00\" } ]";
}

const std::vector<TestResponder>& responders() {
  static const std::string off_shift = shift_not_now();
  static const std::vector<TestResponder> all = {
      {"op", R"("operator")", ""},
      {"disp", R"("dispatcher")", ""},
      {"admin", R"("admin")", ""},
      {"metrics", R"("metrics")", ""},  // a Prometheus scraper: /metrics and nothing else
      {"obs-bh", R"("legal_observer")", R"("boyle-heights")"},
      {"obs-dt", R"("legal_observer")", R"("downtown")"},
      {"vol-bh", R"("volunteer")", R"("boyle-heights")"},
      {"att-bh", R"("attorney")", R"("boyle-heights")", R"("en")"},
      {"obs-off", R"("legal_observer")", R"("boyle-heights")", R"("en")", off_shift.c_str()},
      {"obs-dt-off", R"("legal_observer")", R"("downtown")", R"("en")", off_shift.c_str()},
      {"obs-standby", R"("legal_observer")", R"("downtown")", R"("en")", "standby = true"},
  };
  return all;
}

std::vector<std::string> puented_args(const std::filesystem::path& config,
                                      unsigned short redis_port, const std::string& name,
                                      const std::filesystem::path& dir,
                                      const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"--config",    config.string(),
                                "--port-file", (dir / "port").string(),
                                "--redis",     "127.0.0.1:" + std::to_string(redis_port),
                                "--node-id",   name};
  // puented takes --listen once: a test's own replaces port 0.
  if (std::find(extra_args.begin(), extra_args.end(), "--listen") == extra_args.end())
    args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return args;
}

// The ports of `cluster = ["127.0.0.1:p", ...]` in the nodes' [redis] lines (cluster_config.hpp);
// none without one.
std::vector<unsigned short> cluster_seeds(const std::string& redis_lines) {
  std::vector<unsigned short> ports;
  const auto start = redis_lines.find("cluster = [");
  if (start == std::string::npos) return ports;
  std::istringstream line(redis_lines.substr(start, redis_lines.find(']', start) - start));
  for (std::string seed; std::getline(line, seed, ':');) {
    unsigned port = 0;
    if (std::istringstream(seed) >> port && port > 0)
      ports.push_back(static_cast<unsigned short>(port));
  }
  return ports;
}

}  // namespace

TestNetwork::TestNetwork(const std::string& extra_config, const std::string& extra_limits,
                         const std::string& extra_redis, const std::string& extra_node,
                         const std::string& extra_geography,
                         const std::optional<RedisAclSetup>& acl)
    : cluster_seeds_(cluster_seeds(extra_redis)),
      admin_(acl ? std::optional<RedisLogin>(acl->admin) : std::nullopt),
      redis_(acl ? std::vector<std::string>{"--aclfile", acl->acl_file.string(),
                                            "--notify-keyspace-events", "Kghx"}
                 : std::vector<std::string>{},
             admin_) {
  // The tests' places are Los Angeles streets: without the LA data (a clone with nothing beside
  // it) every node would refuse to start; say what is missing instead.
  const std::filesystem::path la_neighborhoods = PUENTE_LA_DATA "/la-city-neighborhoods-v6.geojson";
  if (!std::filesystem::exists(la_neighborhoods))
    throw std::runtime_error("the tests need the LA neighborhoods at " + la_neighborhoods.string() +
                             " (a shared/data/la/ folder beside the checkout, or cmake "
                             "-DPUENTE_LA_DATA=FOLDER)");
  std::ofstream roster(dir() / "roster.toml");
  for (const auto& r : responders()) {
    auto token = core::new_bearer_token();
    tokens_[r.id] = token;
    roster << "[[responder]]\nid = \"" << r.id << "\"\nname = \"Test " << r.id << "\"\nroles = ["
           << r.roles << "]\nneighborhoods = [" << r.neighborhoods << "]\nlanguages = ["
           << r.languages << "]\ntoken_sha256 = \"" << core::sha256_hex(token) << "\"\n"
           << r.extra << "\n\n";
  }
  config_ = dir() / "puented.toml";
  std::ofstream config(config_);
  // Each network's nodes write their journals and revocations in a folder of its own.
  config << "[node]\nthreads = 2\nescalation_poll_ms = 100\nshutdown_grace_ms = 200\n"
         << "state_dir = \"state\"\n"
         << extra_node << "\n"
         << "[redis]\n"
         << (extra_redis.find("command_timeout_ms") == std::string::npos
                 ? "command_timeout_ms = 1000\n"
                 : "")
         << "reconnect_max_ms = 200\n"
         << extra_redis << "\n"
         << "[geography]\nneighborhoods = \"" << PUENTE_LA_DATA
         << "/la-city-neighborhoods-v6.geojson\"\n"
         << extra_geography << "\n"
         << "[roster]\nfile = \"roster.toml\"\n"
         << "[limits]\n"
         << (extra_limits.find("ws_hello_seconds") == std::string::npos ? "ws_hello_seconds = 2\n"
                                                                        : "")
         << "replay_max_alerts = 3\n"
         << extra_limits
         << "\n"
         // Failed sign-ins reach the audit log a second after the first, not a minute.
         << (extra_limits.find("failed_sign_in_audit_seconds") == std::string::npos
                 ? "failed_sign_in_audit_seconds = 1\n"
                 : "")
         << "[network]\ntemplates = \"" << PUENTE_SOURCE_DIR << "/config/templates\"\n"
         << "[log]\nlevel = \"debug\"\n"
         << extra_config << "\n";
  // Tests hammer one node from one address with one operator token: no rate limits, unless the
  // test sets its own.
  if (extra_config.find("[rate_limits]") == std::string::npos)
    config << "[rate_limits]\nreports_per_token_per_second = 0\nrequests_per_token_per_second = 0\n"
           << "requests_per_address_per_second = 0\nfailed_sign_ins_per_address_per_second = 0\n"
           << "messages_per_socket_per_second = 0\n";
}

long long TestNetwork::redis_key_count() const {
  // The audit log is left out: a refused sign-in is recorded there by design. So are the purge's
  // lease and AOF rewrite marks, which come and go with each period whatever the test does.
  return redis_integer(
      R"(EVAL "local n = 0 for _, key in ipairs(redis.call('KEYS', '*')) do )"
      R"(if not key:find(':audit', 1, true) and not key:find(':retention:', 1, true) then n = n + 1 end )"
      R"(end return n" 0)");
}

std::string TestNetwork::redis_line(const std::string& command) const {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), redis_.port()});
  std::string reply;
  if (admin_) {
    // Inline commands split on spaces: test passwords are hex, user names plain words.
    boost::asio::write(
        socket, boost::asio::buffer("AUTH " + admin_->user + " " + admin_->password + "\r\n"));
    boost::asio::read_until(socket, boost::asio::dynamic_buffer(reply), "\r\n");
    if (!reply.starts_with("+OK")) throw std::runtime_error("AUTH answered " + reply);
    reply.erase(0, reply.find("\r\n") + 2);
  }
  boost::asio::write(socket, boost::asio::buffer(command + "\r\n"));
  boost::asio::read_until(socket, boost::asio::dynamic_buffer(reply), "\r\n");
  return reply.substr(0, reply.find("\r\n"));
}

long long TestNetwork::redis_integer(const std::string& command) const {
  auto reply = redis_line(command);
  if (reply.empty() || reply[0] != ':') throw std::runtime_error(command + " answered " + reply);
  return std::stoll(reply.substr(1));
}

TestCertificate TestNetwork::serve_tls() {
  auto made = make_test_certificate(dir(), "node", "puente-test");
  std::ofstream(config_, std::ios::app)
      << "[tls]\ncertificate_file = \"" << made.certificate.string() << "\"\nprivate_key_file = \""
      << made.private_key.string() << "\"\n";
  tls_ca_file_ = made.certificate;
  return made;
}

std::string start_failure_log(const std::function<void()>& start, const std::filesystem::path& dir,
                              const std::string& name) {
  try {
    start();
  } catch (const std::runtime_error&) {
    return file_text(dir / name / "puented.log");
  }
  ADD_FAILURE() << "node " << name << " started; it should have refused to";
  return {};
}

std::string TestNetwork::start_failure(const std::string& name) {
  return start_failure_log([&] { start_node(name); }, dir(), name);
}

std::unique_ptr<PuentedNode> TestNetwork::start_node(const std::string& name, bool wait_ready,
                                                     const std::vector<std::string>& extra_args) {
  auto node_dir = dir() / name;
  std::filesystem::create_directories(node_dir);
  auto node = std::make_unique<PuentedNode>(config_, redis_.port(), name, node_dir, wait_ready,
                                            extra_args, tls_ca_file_);
  for (const auto& [id, token] : tokens_) node->secrets_.push_back(token);
  node->metrics_token_ = tokens_.at("metrics");
  return node;
}

PuentedNode::PuentedNode(const std::filesystem::path& config, unsigned short redis_port,
                         const std::string& name, const std::filesystem::path& dir, bool wait_ready,
                         const std::vector<std::string>& extra_args,
                         const std::filesystem::path& tls_ca_file)
    : name_(name),
      log_(dir / "puented.log"),
      process_((std::filesystem::remove(dir / "port"), PUENTED_PATH),
               puented_args(config, redis_port, name, dir, extra_args), log_) {
  auto port_file = dir / "port";
  // A minute, not the usual ten seconds: on a loaded 2-core machine an ASan build of the node
  // can take longer than that to load its geography and roster (the suite saw "did not start").
  bool listening = wait_until(
      [&] {
        std::ifstream in(port_file);
        unsigned port = 0;
        if (in >> port && port > 0) port_ = static_cast<unsigned short>(port);
        return port_ != 0 || !process_.running();
      },
      std::chrono::seconds(60));
  if (!listening || port_ == 0)
    throw std::runtime_error("puented " + name +
                             " did not start; its log ends:" + log_tail(log_, 20));
  address_ = client::ServerAddress{"127.0.0.1", port_, !tls_ca_file.empty(), tls_ca_file};
  http_ = std::make_unique<client::HttpClient>(address_);
  // Ready means Redis is reachable too: tests start acting right away.
  std::string last_answer = "no answer";
  bool ready = wait_until(
      [&] {
        try {
          auto answer = http_->request(http::verb::get, "/readyz");
          last_answer = std::to_string(answer.status) + " " + answer.body;
          return answer.status == 200 || (!wait_ready && answer.status == 503);
        } catch (const std::exception& e) {
          last_answer = e.what();
          return false;
        }
      },
      std::chrono::seconds(60));
  if (!ready)
    throw std::runtime_error("puented " + name + " never became ready (/readyz: " + last_answer +
                             "); its log ends:" + log_tail(log_, 20));
}

PuentedNode::~PuentedNode() {
  http_.reset();
  // A node that died under the test (an uncaught exception, an abort) leaves its reason in its
  // log's last lines, not in a sanitizer's report: the test only sees a refused connection.
  if (process_.ended_unseen()) {
    const auto exit = process_.exit_status().value_or(ProcessExit{});
    ADD_FAILURE() << "puented " << name_ << " ended while the test ran ("
                  << (exit.exited ? "exit code " + std::to_string(exit.code)
                                  : "signal " + std::to_string(exit.signal))
                  << "); its log ends:" << log_tail(log_, 20);
  }
  if (process_.running()) process_.terminate(std::chrono::seconds(10));
  std::ifstream in(log_);
  // A sanitizer's report is kept in the failure (its first 150 lines: a leak's report names
  // every object of a cycle), after the log's last lines before it (what the node was doing):
  // the test's folder, and the log with it, is gone once the test ends.
  std::string report;
  std::deque<std::string> before;
  int report_lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (report.empty() && (line.find("Sanitizer") != std::string::npos ||
                           line.find("runtime error:") != std::string::npos)) {
      report_lines = 150;
      for (const auto& earlier : before) report += "\n  " + earlier;
    }
    if (report_lines > 0) {
      report += "\n  " + line;
      --report_lines;
    } else if (report.empty()) {
      before.push_back(line);
      if (before.size() > 10) before.pop_front();
    }
    for (const auto& secret : secrets_)
      if (line.find(secret) != std::string::npos) {
        ADD_FAILURE() << "puented " << name_ << " logged a bearer token: " << line << "\n  see "
                      << log_;
        secrets_.clear();  // once is enough
        break;
      }
  }
  if (!report.empty()) ADD_FAILURE() << "puented " << name_ << " reported:" << report;
}

client::HttpResponse PuentedNode::call(http::verb verb, const std::string& target,
                                       const std::string& token, const std::string& body) {
  return http_->request(verb, target, body, token);
}

client::HttpResponse PuentedNode::metrics() {
  return call(http::verb::get, "/metrics", metrics_token_);
}

std::optional<long long> PuentedNode::metric(const std::string& name) {
  const auto body = "\n" + metrics().body;
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return std::nullopt;
  return std::stoll(body.substr(at + name.size() + 2));
}

v1::AuditLog PuentedNode::audit_log(const std::string& admin_token) {
  auto response = call(http::verb::get, "/v1/admin/audit", admin_token);
  EXPECT_EQ(response.status, 200u) << response.body;
  v1::AuditLog log;
  EXPECT_EQ(wire::from_json(response.body, log), "") << response.body;
  return log;
}

std::unique_ptr<client::WsClient> PuentedNode::raw_socket() {
  auto socket = std::make_unique<client::WsClient>();
  socket->connect(address_);
  return socket;
}

std::unique_ptr<client::WsClient> PuentedNode::socket(
    const std::string& token, const std::vector<std::string>& neighborhoods, bool board,
    const std::map<std::string, std::string>& since) {
  auto socket = raw_socket();
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(token);
  hello.mutable_hello()->set_board(board);
  for (const auto& slug : neighborhoods) {
    auto* s = hello.mutable_hello()->add_subscriptions();
    s->set_neighborhood(slug);
    if (auto it = since.find(slug); it != since.end()) s->set_since_offset(it->second);
  }
  socket->send(hello);
  auto welcome = socket->read_message(socket_wait);
  if (!welcome || !welcome->has_welcome())
    throw std::runtime_error("no welcome: " +
                             (welcome ? wire::to_json(*welcome) : std::string("nothing")));
  return socket;
}

std::string puented_binary() { return PUENTED_PATH; }

std::string report_json(double lat, double lon, const std::string& kind,
                        const std::string& extra_fields) {
  std::ostringstream out;
  out.precision(10);
  out << R"({"location":{"lat":)" << lat << R"(,"lon":)" << lon << R"(},"kind":")" << kind << '"';
  if (!extra_fields.empty()) out << ',' << extra_fields;
  out << '}';
  return out.str();
}

std::map<std::string, std::string> cli_environment(const PuentedNode& node,
                                                   const std::string& token) {
  const auto& address = node.address();
  std::map<std::string, std::string> env{
      {"PUENTE_SERVER", (address.tls ? "https://" : "http://") + address.to_string()},
      {"PUENTE_TOKEN", token}};
  if (address.tls) env["PUENTE_CA_FILE"] = address.ca_file.string();
  return env;
}

std::string open_incident(PuentedNode& node, const std::string& token, const Place& where) {
  auto response =
      node.call(http::verb::post, "/v1/reports", token, report_json(where.lat, where.lon));
  EXPECT_EQ(response.status, 201u) << response.body;
  v1::ReportReceipt receipt;
  EXPECT_EQ(wire::from_json(response.body, receipt), "");
  return receipt.incident().id();
}

std::optional<v1::ServerMessage> read_until(
    client::WsClient& socket, const std::function<bool(const v1::ServerMessage&)>& match,
    std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto message = socket.read_message(left);
    if (!message) return std::nullopt;
    if (match(*message)) return message;
  }
}

Place boyle_heights_spot(int i) {
  // A 4 x 3 grid, 0.008 degrees apart, every point inside the Boyle Heights polygon.
  return {34.025 + (i % 3) * 0.008, -118.220 + ((i / 3) % 4) * 0.008};
}

std::optional<v1::Alert> next_alert(client::WsClient& socket, std::chrono::milliseconds wait) {
  auto message = read_until(
      socket, [](const v1::ServerMessage& m) { return m.has_alert(); }, wait);
  if (!message) return std::nullopt;
  return message->alert();
}

std::string close_reason(client::WsClient& socket, std::chrono::milliseconds wait) {
  try {
    while (socket.read(wait)) {
    }
  } catch (const client::ConnectionError& e) {
    return e.what();
  }
  return {};
}

}  // namespace puente::test
