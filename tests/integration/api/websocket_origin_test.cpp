// A page of another site cannot open a WebSocket to the node: the upgrade is refused (403)
// before any hello; the node's own pages and clients without an Origin are let in.
#include "test_network.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace puente::test {
namespace {

// The status line of the answer to a WebSocket upgrade sent with `origin` (none if empty).
std::string upgrade_status(unsigned short port, const std::string& origin) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  std::string host = "127.0.0.1:" + std::to_string(port);
  std::string request =
      "GET /v1/ws HTTP/1.1\r\nHost: " + host +
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  if (!origin.empty()) request += "Origin: " + origin + "\r\n";
  boost::asio::write(socket, boost::asio::buffer(request + "\r\n"));
  std::string answer;
  boost::asio::read_until(socket, boost::asio::dynamic_buffer(answer), "\r\n");
  return answer.substr(0, answer.find("\r\n"));
}

TEST(WebSocketOrigin, OnlyTheNodesOwnAndConfiguredOriginsMayConnect) {
  TestNetwork net("[web]\nallowed_origins = [\"https://puente.example.org\"]\n");
  auto a = net.start_node("a");
  const auto own = "http://127.0.0.1:" + std::to_string(a->port());
  EXPECT_EQ(upgrade_status(a->port(), ""), "HTTP/1.1 101 Switching Protocols");
  EXPECT_EQ(upgrade_status(a->port(), own), "HTTP/1.1 101 Switching Protocols");
  EXPECT_EQ(upgrade_status(a->port(), "https://puente.example.org"),
            "HTTP/1.1 101 Switching Protocols");
  EXPECT_EQ(upgrade_status(a->port(), "https://evil.example"), "HTTP/1.1 403 Forbidden");
}

}  // namespace
}  // namespace puente::test
