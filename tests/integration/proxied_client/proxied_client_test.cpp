// [node] trusted_proxies with a real HAProxy (Debian's) in front of a real puented on loopback:
// HAProxy connects to the node from 127.0.0.3, the one listed proxy, and adds X-Forwarded-For
// (`option forwardfor`, as deploy/haproxy/haproxy.cfg does); clients connect from addresses of
// their own (127.0.0.10, .11, .12). The per-address rate limit then counts each client, not the
// proxy; and a client that is no listed proxy cannot pick its address with the header.
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

class ProxiedClient : public ::testing::Test {
 protected:
  void SetUp() override {
    // The shipped config adds the header this test relies on.
    const auto shipped =
        file_text(std::filesystem::path(PUENTE_SOURCE_DIR) / "deploy/haproxy/haproxy.cfg");
    ASSERT_NE(shipped.find("option forwardfor"), std::string::npos)
        << "deploy/haproxy/haproxy.cfg no longer sends X-Forwarded-For";
    node_ = net_.start_node("a");
    proxy_port_ = free_port();
    std::ofstream(net_.dir() / "haproxy.cfg")
        << "global\n    maxconn 100\n"
        << "defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n"
        << "    timeout server 30s\n"
        << "frontend public\n    bind 127.0.0.1:" << proxy_port_ << "\n"
        << "    option forwardfor\n    default_backend nodes\n"
        << "backend nodes\n    server a 127.0.0.1:" << node_->port() << " source 127.0.0.3\n";
    const auto binary = ChildProcess::find_program("haproxy")
                            .value_or(std::filesystem::path("/usr/sbin/haproxy"))
                            .string();
    haproxy_.emplace(binary,
                     std::vector<std::string>{"-db", "-f", (net_.dir() / "haproxy.cfg").string()},
                     net_.dir() / "haproxy.log");
    ASSERT_TRUE(wait_until([&] {
      try {
        // The proxy answers (any status): it is up. This takes nothing from the clients' buckets.
        return get_from("127.0.0.99", proxy_port_, "/healthz") != 0;
      } catch (const std::exception&) {
        return false;
      }
    })) << file_text(net_.dir() / "haproxy.log");
  }

  TestNetwork net_{kAddressLimit, "", "", "trusted_proxies = [\"127.0.0.3\", \"2001:db8::/32\"]"};
  std::unique_ptr<PuentedNode> node_;
  unsigned short proxy_port_ = 0;
  std::optional<ChildProcess> haproxy_;
};

TEST_F(ProxiedClient, EachClientBehindTheProxyIsLimitedByItsOwnAddress) {
  // 127.0.0.10 spends its three requests, and is refused the fourth.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get_from("127.0.0.10", proxy_port_, "/healthz"), 200u) << i;
  EXPECT_EQ(get_from("127.0.0.10", proxy_port_, "/healthz"), 429u);
  // Another client through the same proxy still has its own three: the proxy's address, the
  // peer of every connection, is not what is counted.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get_from("127.0.0.11", proxy_port_, "/healthz"), 200u) << i;
  EXPECT_EQ(get_from("127.0.0.11", proxy_port_, "/healthz"), 429u);
  // A client's own X-Forwarded-For, left of what HAProxy appends, does not free it.
  EXPECT_EQ(get_from("127.0.0.10", proxy_port_, "/healthz", "198.51.100.1"), 429u);
}

TEST_F(ProxiedClient, AForwardedForFromAPeerThatIsNoListedProxyIsIgnored) {
  // Straight to the node from 127.0.0.12, a new address in every header: still one client.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(get_from("127.0.0.12", node_->port(), "/healthz", "198.51.100." + std::to_string(i)),
              200u)
        << i;
  EXPECT_EQ(get_from("127.0.0.12", node_->port(), "/healthz", "198.51.100.200"), 429u);
}

}  // namespace
}  // namespace puente::test
