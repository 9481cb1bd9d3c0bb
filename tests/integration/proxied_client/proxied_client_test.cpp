// [node] trusted_proxies with a real HAProxy (Debian's) in front of a real puented on loopback:
// HAProxy connects to the node from 127.0.0.3, the one listed proxy, and names the client with
// X-Forwarded-For (`option forwardfor`, as deploy/haproxy/haproxy.cfg does) or a PROXY header
// (`send-proxy`, `send-proxy-v2`, with [node] proxy_protocol); clients connect from addresses of
// their own (127.0.0.10, .11, .12). The per-address rate limit then counts each client, not the
// proxy; a client that is no listed proxy cannot pick its address with the header; and a
// connection from the listed proxy without a PROXY header, when one is required, is closed.
//
// Every wait is bounded; nothing asserts a duration. Needs the haproxy package
// (deploy/install-deps.sh installs it).
#include "file_text.hpp"
#include "free_port.hpp"
#include "test_network.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>

namespace puente::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Three requests from one address, then 429 until the test is long over.
const std::string kAddressLimit =
    "[rate_limits]\nreports_per_token_per_second = 0\nrequests_per_token_per_second = 0\n"
    "failed_sign_ins_per_address_per_second = 0\nmessages_per_socket_per_second = 0\n"
    "requests_per_address_per_second = 0.001\nrequests_per_address_burst = 3\n";

// GET `target` on 127.0.0.1:`port` from the local address `source`, with `forwarded_for` as
// X-Forwarded-For if not empty; the answer's status.
unsigned get_from(const std::string& source, unsigned short port, const std::string& target,
                  const std::string& forwarded_for = {}) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.open(tcp::v4());
  socket.bind({asio::ip::make_address(source), 0});
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "puente.test");
  request.keep_alive(false);
  if (!forwarded_for.empty()) request.set("X-Forwarded-For", forwarded_for);
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.result_int();
}

// A node behind a real HAProxy that connects from 127.0.0.3, the node's one listed proxy, and
// tells the node the client's address as `how` says: X-Forwarded-For (`option forwardfor`) or a
// PROXY header (`send-proxy`, `send-proxy-v2`; the node then has [node] proxy_protocol on).
class ProxiedNetwork {
 public:
  enum class How { forwarded_for, proxy_v1, proxy_v2 };

  explicit ProxiedNetwork(How how)
      : net_(kAddressLimit, "", "",
             std::string("trusted_proxies = [\"127.0.0.3\", \"2001:db8::/32\"]\n") +
                 (how == How::forwarded_for ? "" : "proxy_protocol = true\n")) {
    // The shipped configs say the same to the nodes.
    const auto shipped =
        file_text(std::filesystem::path(PUENTE_SOURCE_DIR) / "deploy/haproxy/haproxy.cfg");
    EXPECT_NE(shipped.find("option forwardfor"), std::string::npos)
        << "deploy/haproxy/haproxy.cfg no longer sends X-Forwarded-For";
    node_ = net_.start_node("a");
    proxy_port_ = free_port();
    const char* server_option = how == How::proxy_v1   ? " send-proxy"
                                : how == How::proxy_v2 ? " send-proxy-v2"
                                                       : "";
    std::ofstream(net_.dir() / "haproxy.cfg")
        << "global\n    maxconn 100\n"
        << "defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n"
        << "    timeout server 30s\n"
        << "frontend public\n    bind 127.0.0.1:" << proxy_port_ << "\n"
        << (how == How::forwarded_for ? "    option forwardfor\n" : "")
        << "    default_backend nodes\n"
        << "backend nodes\n    server a 127.0.0.1:" << node_->port() << " source 127.0.0.3"
        << server_option << "\n";
    const auto binary = ChildProcess::find_program("haproxy")
                            .value_or(std::filesystem::path("/usr/sbin/haproxy"))
                            .string();
    haproxy_.emplace(binary,
                     std::vector<std::string>{"-db", "-f", (net_.dir() / "haproxy.cfg").string()},
                     net_.dir() / "haproxy.log");
    up_ = wait_until([&] {
      try {
        // The proxy answers (any status): it is up. 127.0.0.99 is no client of the tests.
        return get_from("127.0.0.99", proxy_port_, "/healthz") != 0;
      } catch (const std::exception&) {
        return false;
      }
    });
  }

  bool up() const { return up_; }
  std::string haproxy_log() const { return file_text(net_.dir() / "haproxy.log"); }
  unsigned short proxy_port() const { return proxy_port_; }
  PuentedNode& node() { return *node_; }

 private:
  TestNetwork net_;
  std::unique_ptr<PuentedNode> node_;
  unsigned short proxy_port_ = 0;
  std::optional<ChildProcess> haproxy_;
  bool up_ = false;
};

// Two clients through the proxy: each has its own three requests.
void each_client_is_limited_by_its_own_address(ProxiedNetwork& proxied) {
  ASSERT_TRUE(proxied.up()) << proxied.haproxy_log();
  const auto port = proxied.proxy_port();
  // 127.0.0.10 spends its three requests, and is refused the fourth.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get_from("127.0.0.10", port, "/healthz"), 200u) << i;
  EXPECT_EQ(get_from("127.0.0.10", port, "/healthz"), 429u);
  // Another client through the same proxy still has its own three: the proxy's address, the
  // peer of every connection, is not what is counted.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get_from("127.0.0.11", port, "/healthz"), 200u) << i;
  EXPECT_EQ(get_from("127.0.0.11", port, "/healthz"), 429u);
  // A client's own X-Forwarded-For does not free it.
  EXPECT_EQ(get_from("127.0.0.10", port, "/healthz", "198.51.100.1"), 429u);
}

class ProxiedClient : public ::testing::Test {
 protected:
  ProxiedNetwork proxied_{ProxiedNetwork::How::forwarded_for};
};

TEST_F(ProxiedClient, EachClientBehindTheProxyIsLimitedByItsOwnAddress) {
  each_client_is_limited_by_its_own_address(proxied_);
}

TEST_F(ProxiedClient, AForwardedForFromAPeerThatIsNoListedProxyIsIgnored) {
  // Straight to the node from 127.0.0.12, a new address in every header: still one client.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(get_from("127.0.0.12", proxied_.node().port(), "/healthz",
                       "198.51.100." + std::to_string(i)),
              200u)
        << i;
  EXPECT_EQ(get_from("127.0.0.12", proxied_.node().port(), "/healthz", "198.51.100.200"), 429u);
}

TEST(ProxiedClientProxyProtocol, EachClientBehindAProxySendingV1IsLimitedByItsOwnAddress) {
  ProxiedNetwork proxied(ProxiedNetwork::How::proxy_v1);
  each_client_is_limited_by_its_own_address(proxied);
}

TEST(ProxiedClientProxyProtocol, EachClientBehindAProxySendingV2IsLimitedByItsOwnAddress) {
  ProxiedNetwork proxied(ProxiedNetwork::How::proxy_v2);
  each_client_is_limited_by_its_own_address(proxied);
}

TEST(ProxiedClientProxyProtocol, AListedProxysConnectionWithoutTheHeaderIsClosed) {
  ProxiedNetwork proxied(ProxiedNetwork::How::proxy_v2);
  ASSERT_TRUE(proxied.up()) << proxied.haproxy_log();
  // From the proxy's address, a plain request: no answer, the connection closed.
  EXPECT_THROW(get_from("127.0.0.3", proxied.node().port(), "/healthz"),
               boost::system::system_error);
  // Any other peer sends no header and is served.
  EXPECT_EQ(get_from("127.0.0.12", proxied.node().port(), "/healthz"), 200u);
}

TEST(ProxiedClientConfig, AMalformedTrustedProxyOrAProxyProtocolWithoutOneStopsTheNode) {
  TestNetwork typo("", "", "", "trusted_proxies = [\"10.0.0.1/8\"]");
  EXPECT_NE(typo.start_failure("a").find("\"10.0.0.1/8\" is not an IPv4 or IPv6 address"),
            std::string::npos);
  TestNetwork alone("", "", "", "proxy_protocol = true");
  EXPECT_NE(alone.start_failure("a").find("node.proxy_protocol needs node.trusted_proxies"),
            std::string::npos);
}

}  // namespace
}  // namespace puente::test
