// A WebSocket session over plain TCP writes a frame at once when nothing waits before it, inside
// its peer's send() (websocket_session.hpp). The connection may turn out to be gone right then.
// The session finishes, but its peer's on_close must not run inside that send: a responder's
// socket sends replayed alerts while it walks its topics, and its on_close clears them (a
// heap-use-after-free a browser test's reconnect met in the suite, 2026-12-07).
#include "net/websocket_session.hpp"
#include "core/metrics.hpp"
#include "net/server_context.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace puente::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Sends two frames when the client's first message comes, as a socket replaying history does,
// and notes whether on_close ran inside one of those sends.
class ReplayingPeer : public SocketPeer {
 public:
  explicit ReplayingPeer(const std::shared_ptr<WebSocketSession>& session) : session_(session) {}

  void on_message(std::string_view, bool) override {
    std::this_thread::sleep_for(200ms);  // the client's reset reaches this side first
    const auto frame = std::make_shared<const std::string>(1000, 'x');
    sending_ = true;
    for (int i = 0; i < 2; ++i)
      if (auto session = session_.lock()) session->send(frame, false);
    sending_ = false;
  }
  void on_close() override {
    closed = true;
    closed_inside_send = closed_inside_send || sending_;
  }
  void on_written(const std::shared_ptr<const HubFrame>&, std::uint32_t) override {}

  bool closed = false;
  bool closed_inside_send = false;

 private:
  std::weak_ptr<WebSocketSession> session_;
  bool sending_ = false;
};

TEST(WebSocketSession, AConnectionGoneUnderAFrameSentAtOnceEndsAfterTheSendNotInsideIt) {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  core::Metrics metrics;
  auto context = std::make_shared<ServerContext>();
  context->metrics = &metrics;
  std::shared_ptr<ReplayingPeer> peer;
  context->socket_peer_factory = [&](std::shared_ptr<WebSocketSession> session) {
    peer = std::make_shared<ReplayingPeer>(session);
    return peer;
  };

  // The client: upgrades, sends one message, and resets the connection (no close handshake).
  std::thread client([port = acceptor.local_endpoint().port()] {
    asio::io_context client_io;
    websocket::stream<tcp::socket> ws(client_io);
    ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    ws.handshake("127.0.0.1", "/v1/ws");
    ws.write(asio::buffer(std::string("hello")));
    ws.next_layer().set_option(asio::socket_base::linger(true, 0));
    ws.next_layer().close();
  });

  tcp::socket socket(io);
  acceptor.accept(socket);
  beast::flat_buffer buffer;
  Request upgrade;
  beast::http::read(socket, buffer, upgrade);
  serve_websocket(PlainStream(std::move(socket)), context, std::move(upgrade), nullptr,
                  "127.0.0.1");
  io.run_for(10s);
  client.join();

  ASSERT_TRUE(peer);
  EXPECT_TRUE(peer->closed) << "the session never ended";
  EXPECT_FALSE(peer->closed_inside_send);
}

}  // namespace
}  // namespace puente::net
