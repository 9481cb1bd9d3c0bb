// Two plain-HTTP puented nodes behind a real nginx that ends TLS, running deploy/nginx/puente.conf
// itself with only what a test must change: loopback ports for nginx and the nodes, a
// certificate made by the test, the log in the test's folder. So the shipped file is what is
// tested: HTTPS and WSS through nginx to both nodes, the page's WebSocket Origin passing the
// node's check (nginx forwards the Host with its port), HSTS, the redirect from plain HTTP, a
// log without positions, and no /metrics through the public address (even with the scraper's
// token, however the path is spelled).
//
// Every wait is bounded; nothing asserts a duration. Needs the nginx package
// (deploy/install-deps.sh installs it).

#include "test_network.hpp"

#include "connection_error.hpp"
#include "file_text.hpp"
#include "free_port.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kNginxWait{30'000};

struct Ports {
  unsigned short https, http;
};

// deploy/nginx/puente.conf with loopback addresses, the test's certificate and log. Throws if a
// line the test relies on is gone, so a reshaped config fails here loudly instead of testing
// something else.
std::string render_site(const Ports& ports, const std::vector<unsigned short>& node_ports,
                        const TestCertificate& certificate, const std::filesystem::path& dir) {
  std::ifstream in(std::filesystem::path(PUENTE_SOURCE_DIR) / "deploy/nginx/puente.conf");
  if (!in) throw std::runtime_error("cannot read deploy/nginx/puente.conf");
  std::ostringstream out;
  int listens = 0, certificates = 0, logs = 0, servers = 0;
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find_first_not_of(' ');
    const std::string text = first == std::string::npos ? "" : line.substr(first);
    const std::string indent = line.substr(0, first == std::string::npos ? 0 : first);
    if (text == "listen 80;") {
      out << indent << "listen 127.0.0.1:" << ports.http << ";\n";
      ++listens;
    } else if (text == "listen 443 ssl;") {
      out << indent << "listen 127.0.0.1:" << ports.https << " ssl;\n";
      ++listens;
    } else if (text.starts_with("ssl_certificate ")) {
      out << indent << "ssl_certificate " << certificate.certificate.string() << ";\n";
      ++certificates;
    } else if (text.starts_with("ssl_certificate_key ")) {
      out << indent << "ssl_certificate_key " << certificate.private_key.string() << ";\n";
      ++certificates;
    } else if (text.starts_with("access_log /var/log/nginx/puente.log ")) {
      out << indent << "access_log " << (dir / "access.log").string() << " puente;\n";
      ++logs;
    } else if (text.starts_with("server 10.0.0.")) {
      // One line per test node, with the options of the example's lines.
      if (servers++ == 0)
        for (auto port : node_ports)
          out << indent << "server 127.0.0.1:" << port << text.substr(text.find(' ', 7)) << "\n";
    } else {
      out << line << "\n";
    }
  }
  if (listens != 2 || certificates != 2 || logs != 2 || servers != 2)
    throw std::runtime_error("deploy/nginx/puente.conf no longer has the lines this test edits");
  return out.str();
}

// A real nginx on the rendered site, stopped with the object.
class Nginx {
 public:
  Nginx(const std::filesystem::path& dir, const std::vector<unsigned short>& node_ports,
        const TestCertificate& certificate)
      : certificate_(certificate) {
    const auto binary = ChildProcess::find_program("nginx").value_or("/usr/sbin/nginx").string();
    // A port can be taken between free_port() and nginx's bind: then it exits; try again.
    for (int attempt = 0; attempt < 5; ++attempt) {
      ports_ = {free_port(), free_port()};
      std::ofstream(dir / "puente.conf", std::ios::trunc)
          << render_site(ports_, node_ports, certificate, dir);
      std::ofstream main(dir / "nginx.conf", std::ios::trunc);
      // Run as root (CI), the workers would become "nobody" and could not use the test's
      // private folder.
      if (geteuid() == 0) main << "user root;\n";
      main << "worker_processes 1;\ndaemon off;\nmaster_process on;\npid "
           << (dir / "nginx.pid").string() << ";\n"
           << "error_log " << (dir / "error.log").string() << " warn;\n"
           << "events { worker_connections 1024; }\n"
           << "http {\n";
      for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        main << "  " << temp << "_temp_path " << (dir / temp).string() << ";\n";
      main << "  include " << (dir / "puente.conf").string() << ";\n}\n";
      main.close();
      process_.emplace(
          binary,
          std::vector<std::string>{"-p", dir.string(), "-c", (dir / "nginx.conf").string(), "-e",
                                   (dir / "error.log").string()},
          dir / "nginx.out");
      if (wait_until([&] { return !process_->running() || health() == 200; }, kNginxWait) &&
          process_->running())
        return;
    }
    throw std::runtime_error("nginx would not start; see " + (dir / "error.log").string());
  }
  ~Nginx() {
    if (process_) process_->terminate();
  }

  // Where clients reach nginx over TLS, trusting the test's certificate.
  client::ServerAddress address() const {
    return client::ServerAddress{"127.0.0.1", ports_.https, true, certificate_.certificate};
  }
  unsigned short plain_port() const { return ports_.http; }

 private:
  unsigned health() const {
    try {
      return client::HttpClient(address(), 2s).request(http::verb::get, "/healthz").status;
    } catch (const std::exception&) {
      return 0;
    }
  }

  TestCertificate certificate_;
  Ports ports_{};
  std::optional<ChildProcess> process_;
};

// The WebSocket upgrade a browser page sends, with its Origin: the status it gets.
unsigned upgrade_status(const client::ServerAddress& address, const std::string& origin) {
  client::HttpClient http(address);
  return http
      .request(http::verb::get, "/v1/ws", {}, {}, "application/json",
               {{"Connection", "Upgrade"},
                {"Upgrade", "websocket"},
                {"Sec-WebSocket-Version", "13"},
                {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                {"Origin", origin}})
      .status;
}

class NginxTls : public ::testing::Test {
 protected:
  TestNetwork net;
  TestCertificate certificate = make_test_certificate(net.dir(), "proxy", "puente-test-proxy");
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");
  Nginx nginx{net.dir(), {a->port(), b->port()}, certificate};  // last: stopped before the nodes
};

TEST_F(NginxTls, ReportsAndAlertsFlowThroughHttpsAndWssToEitherNode) {
  // least_conn: two sockets opened one after another land one on each node.
  std::vector<std::unique_ptr<client::WsClient>> observers;
  for (int i = 0; i < 2; ++i) {
    observers.push_back(std::make_unique<client::WsClient>());
    observers.back()->connect(nginx.address());
    v1::ClientMessage hello;
    hello.mutable_hello()->set_token(net.token("obs-bh"));
    hello.mutable_hello()->add_subscriptions()->set_neighborhood("boyle-heights");
    observers.back()->send(hello);
    auto welcome = observers.back()->read_message(socket_wait);
    ASSERT_TRUE(welcome && welcome->has_welcome());
  }
  for (auto* node : {a.get(), b.get()})
    EXPECT_NE(node->metrics().body.find("\npuente_ws_connections 1\n"), std::string::npos)
        << node->name() << " does not hold one of the two sockets";
  client::HttpClient http(nginx.address());
  auto reported = http.request(http::verb::post, "/v1/reports",
                               report_json(boyle_heights.lat, boyle_heights.lon), net.token("op"));
  ASSERT_EQ(reported.status, 201) << reported.body;
  EXPECT_EQ(reported.header("Strict-Transport-Security").value_or(""), "max-age=31536000");
  for (auto& observer : observers) EXPECT_TRUE(next_alert(*observer)) << "no alert through nginx";
}

TEST_F(NginxTls, APagesWebSocketPassesTheOriginCheckAndAnotherSitesDoesNot) {
  auto own = "https://127.0.0.1:" + std::to_string(nginx.address().port);
  EXPECT_EQ(upgrade_status(nginx.address(), own), 101u);
  EXPECT_EQ(upgrade_status(nginx.address(), "https://evil.example"), 403u);
}

TEST_F(NginxTls, PlainHttpIsSentToHttpsAndTheLogHoldsNoPosition) {
  client::HttpClient plain("127.0.0.1", nginx.plain_port());
  auto moved = plain.request(http::verb::get, "/board.html");
  EXPECT_EQ(moved.status, 301u);
  EXPECT_TRUE(moved.header("Location").value_or("").starts_with("https://"))
      << moved.header("Location").value_or("");

  client::HttpClient http(nginx.address());
  auto located = http.request(http::verb::get, "/v1/neighborhoods/locate?lat=34.0335&lon=-118.211",
                              {}, net.token("obs-bh"));
  ASSERT_EQ(located.status, 200u) << located.body;
  auto log = net.dir() / "access.log";
  ASSERT_TRUE(wait_until(
      [&] { return file_text(log).find("/v1/neighborhoods/locate") != std::string::npos; }));
  EXPECT_EQ(file_text(log).find("34.0335"), std::string::npos) << file_text(log);
}

TEST_F(NginxTls, TheCountersAreNotServedThroughTheProxy) {
  client::HttpClient http(nginx.address());
  for (const char* target : {"/metrics", "/%6detrics", "//metrics", "/metrics?x"}) {
    auto proxied = http.request(http::verb::get, target, {}, net.token("metrics"));
    EXPECT_EQ(proxied.status, 404u) << target << ": " << proxied.body.substr(0, 200);
    EXPECT_EQ(proxied.body.find("puente_"), std::string::npos) << target;
  }
  // The node itself serves them to the scraper: the 404 is nginx's.
  EXPECT_EQ(a->metrics().status, 200u);
}

}  // namespace
}  // namespace puente::test
