// Two puented nodes behind a real HAProxy on loopback, running deploy/haproxy/haproxy.cfg itself
// with only what a test must change: loopback ports for the frontend, the stats page and the
// nodes, health checks every 200 ms instead of 2 s, no syslog, a small maxconn. So the shipped
// file is what is tested: leastconn spreading WebSockets, a killed node's clients reconnecting
// through HAProxy and replaying with sinceOffset, the fallback to live nodes while no node is
// ready (Redis away), and no /metrics through the public address.
//
// Every wait is bounded; nothing asserts a duration. Needs the haproxy package
// (deploy/install-deps.sh installs it).

#include "test_network.hpp"

#include "connection_error.hpp"
#include "free_port.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kHaproxyWait{30'000};

// deploy/haproxy/haproxy.cfg with loopback addresses and test-sized timings. Throws if a line
// the test relies on is gone, so a reshaped config fails here loudly instead of testing
// something else.
std::string render_config(unsigned short listen_port, unsigned short stats_port,
                          const std::vector<unsigned short>& node_ports) {
  std::ifstream in(std::filesystem::path(PUENTE_SOURCE_DIR) / "deploy/haproxy/haproxy.cfg");
  if (!in) {
    throw std::runtime_error("cannot read deploy/haproxy/haproxy.cfg");
  }
  std::ostringstream out;
  int frontends = 0, stats = 0, checks = 0, servers = 0;
  bool servers_written = false;  // the current backend's server list is written
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(' ');
    const std::string text = first == std::string::npos ? "" : line.substr(first);
    const std::string indent = line.substr(0, first == std::string::npos ? 0 : first);
    if (text.starts_with("backend ")) {
      servers_written = false;
    }
    if (text.starts_with("log /dev/log")) {
      continue;  // no syslog in a test; HAProxy then logs nothing
    } else if (text.starts_with("maxconn ")) {
      out << indent << "maxconn 1000\n";  // 50000 would need a raised descriptor limit
    } else if (text == "bind :80") {
      out << indent << "bind 127.0.0.1:" << listen_port << "\n";
      ++frontends;
    } else if (text.starts_with("bind 127.0.0.1:8404")) {
      out << indent << "bind 127.0.0.1:" << stats_port << "\n";
      ++stats;
    } else if (text.starts_with("default-server inter 2s")) {
      out << indent << "default-server inter 200ms" << text.substr(23) << "\n";
      ++checks;
    } else if (text.starts_with("server ")) {
      // One line per test node, named node1, node2, ... with the options of the first line.
      if (!servers_written) {
        for (std::size_t i = 0; i < node_ports.size(); ++i) {
          out << indent << "server node" << i + 1 << " 127.0.0.1:" << node_ports[i] << " check\n";
        }
        servers_written = true;
        ++servers;
      }
    } else {
      out << line << "\n";
    }
  }
  if (frontends != 1 || stats != 1 || checks != 2 || servers != 2) {
    throw std::runtime_error("deploy/haproxy/haproxy.cfg no longer has the lines this test edits");
  }
  return out.str();
}

// A real HAProxy process on the rendered config, stopped with the object.
class Proxy {
 public:
  Proxy(const std::filesystem::path& dir, const std::vector<unsigned short>& node_ports) {
    const auto binary = ChildProcess::find_program("haproxy")
                            .value_or(std::filesystem::path("/usr/sbin/haproxy"))
                            .string();
    // A port can be taken between free_port() and HAProxy's bind: then it exits; try again.
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = free_port();
      stats_port_ = free_port();
      const auto config = dir / "haproxy.cfg";
      std::ofstream(config, std::ios::trunc) << render_config(port_, stats_port_, node_ports);
      process_.emplace(binary, std::vector<std::string>{"-db", "-f", config.string()},
                       dir / "haproxy.log");
      if (wait_until([&] { return !process_->running() || stats_answer(); }, kHaproxyWait) &&
          process_->running()) {
        return;
      }
    }
    throw std::runtime_error("haproxy would not start; see " + (dir / "haproxy.log").string());
  }
  ~Proxy() {
    if (process_) {
      process_->terminate();
    }
  }

  unsigned short port() const { return port_; }
  ChildProcess& process() { return *process_; }

  // How many servers of `backend` HAProxy counts as UP, from its stats CSV; -1 if it does not
  // answer.
  int servers_up(const std::string& backend) const {
    try {
      client::HttpClient stats("127.0.0.1", stats_port_, 2s);
      const auto csv = stats.request(http::verb::get, "/;csv").body;
      std::istringstream lines(csv);
      std::string line;
      int up = 0;
      while (std::getline(lines, line)) {
        // pxname,svname,...: the 18th field is the status ("UP", "UP 1/2", "DOWN", ...).
        std::vector<std::string> fields;
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, ',');) {
          fields.push_back(cell);
        }
        if (fields.size() > 17 && fields[0] == backend && fields[1].starts_with("node") &&
            fields[17].starts_with("UP")) {
          ++up;
        }
      }
      return up;
    } catch (const std::exception&) {
      return -1;
    }
  }

 private:
  bool stats_answer() const { return servers_up("puented") >= 0; }

  unsigned short port_ = 0;
  unsigned short stats_port_ = 0;
  std::optional<ChildProcess> process_;
};

// An observer's WebSocket through the proxy: hello with `since`, welcome read.
std::unique_ptr<client::WsClient> observe(unsigned short port, const std::string& token,
                                          const std::string& since = {}) {
  auto socket = std::make_unique<client::WsClient>();
  socket->connect("127.0.0.1", port);
  v1::ClientMessage hello;
  hello.mutable_hello()->set_token(token);
  auto* subscription = hello.mutable_hello()->add_subscriptions();
  subscription->set_neighborhood("boyle-heights");
  if (!since.empty()) {
    subscription->set_since_offset(since);
  }
  socket->send(hello);
  auto welcome = socket->read_message(socket_wait);
  if (!welcome || !welcome->has_welcome()) {
    throw std::runtime_error("no welcome through the proxy");
  }
  return socket;
}

// The incident id of a report posted through the proxy, or "" if it was not accepted.
std::string post_report(client::HttpClient& http, const std::string& token, Place where) {
  const auto response =
      http.request(http::verb::post, "/v1/reports", report_json(where.lat, where.lon), token);
  v1::ReportReceipt receipt;
  if (response.status != 201 || !wire::from_json(response.body, receipt).empty()) {
    return {};
  }
  return receipt.incident().id();
}

class HaproxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = net_.start_node("a");
    b_ = net_.start_node("b");
    proxy_.emplace(net_.dir(), std::vector<unsigned short>{a_->port(), b_->port()});
    ASSERT_TRUE(wait_until([&] { return proxy_->servers_up("puented") == 2; }, kHaproxyWait));
  }

  TestNetwork net_;
  std::unique_ptr<PuentedNode> a_;
  std::unique_ptr<PuentedNode> b_;
  std::optional<Proxy> proxy_;  // last: stopped before the nodes
};

TEST_F(HaproxyTest, AKilledNodesObserversReconnectThroughTheProxyAndMissNothing) {
  // leastconn: four sockets opened one after another land two on each node.
  struct Observer {
    std::unique_ptr<client::WsClient> socket;
    std::string last_offset;
    bool reconnected = false;
  };
  std::vector<Observer> observers(4);
  for (auto& observer : observers) {
    observer.socket = observe(proxy_->port(), net_.token("obs-bh"));
  }

  client::HttpClient http("127.0.0.1", proxy_->port());
  const std::string first = post_report(http, net_.token("op"), boyle_heights_spot(0));
  ASSERT_FALSE(first.empty());
  for (auto& observer : observers) {
    const auto alert = next_alert(*observer.socket);
    ASSERT_TRUE(alert) << "an observer behind the proxy got no alert";
    EXPECT_EQ(alert->incident_id(), first);
    observer.last_offset = alert->offset();
  }

  a_->process().kill_now();
  ASSERT_TRUE(wait_until([&] { return proxy_->servers_up("puented") == 1; }, kHaproxyWait));

  // A new client connection: the kept-alive one may still point at the dead node.
  client::HttpClient after_kill("127.0.0.1", proxy_->port());
  const std::string second = post_report(after_kill, net_.token("op"), boyle_heights_spot(1));
  ASSERT_FALSE(second.empty()) << "the proxy did not send the report to the live node";

  // Sockets on the dead node were closed by the proxy: reconnect through it and resume from
  // the last offset seen. Every observer ends with the second alert, exactly once.
  int closed = 0;
  for (auto& observer : observers) {
    std::optional<v1::Alert> alert;
    try {
      alert = next_alert(*observer.socket);
    } catch (const client::ConnectionError&) {
      ++closed;
      observer.socket = observe(proxy_->port(), net_.token("obs-bh"), observer.last_offset);
      observer.reconnected = true;
      alert = next_alert(*observer.socket);
    }
    ASSERT_TRUE(alert) << (observer.reconnected ? "a reconnected" : "a surviving")
                       << " observer missed the alert";
    EXPECT_EQ(alert->incident_id(), second);
    EXPECT_FALSE(next_alert(*observer.socket, 300ms)) << "a duplicate after the resume";
  }
  EXPECT_EQ(closed, 2) << "leastconn should have put two of the four sockets on each node";
}

TEST_F(HaproxyTest, WhileNoNodeIsReadyRequestsStillReachALiveNode) {
  client::HttpClient http("127.0.0.1", proxy_->port());
  EXPECT_EQ(http.request(http::verb::get, "/readyz").status, 200u);

  net_.redis().stop();
  ASSERT_TRUE(wait_until([&] { return proxy_->servers_up("puented") == 0; }, kHaproxyWait));

  // Not HAProxy's own 503 page: a node answers, for itself.
  client::HttpClient during("127.0.0.1", proxy_->port());
  const auto health = during.request(http::verb::get, "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_NE(health.body.find("\"node\""), std::string::npos) << health.body;
  const auto ready = during.request(http::verb::get, "/readyz");
  EXPECT_EQ(ready.status, 503u);
  EXPECT_NE(ready.body.find("degraded"), std::string::npos) << ready.body;

  net_.redis().restart();
  ASSERT_TRUE(wait_until([&] { return proxy_->servers_up("puented") == 2; }, kHaproxyWait));
  client::HttpClient back("127.0.0.1", proxy_->port());
  EXPECT_EQ(back.request(http::verb::get, "/readyz").status, 200u);
}

TEST_F(HaproxyTest, TheCountersAreNotServedThroughTheProxy) {
  client::HttpClient http("127.0.0.1", proxy_->port());
  for (const char* target : {"/metrics", "/%6detrics", "/metrics?x"}) {
    const auto proxied = http.request(http::verb::get, target, {}, net_.token("metrics"));
    EXPECT_EQ(proxied.status, 404u) << target << ": " << proxied.body.substr(0, 200);
    EXPECT_EQ(proxied.body.find("puente_"), std::string::npos) << target;
  }
  // The nodes themselves serve them to the scraper: the 404 is HAProxy's.
  EXPECT_EQ(a_->metrics().status, 200u);
}

}  // namespace
}  // namespace puente::test
