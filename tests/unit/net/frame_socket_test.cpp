#include "net/frame_socket.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <gtest/gtest.h>

#include <deque>

namespace puente::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::vector<unsigned char> header_bytes(bool binary, std::size_t size) {
  auto h = frame_header(binary, size);
  return {h.bytes.begin(), h.bytes.begin() + static_cast<std::ptrdiff_t>(h.size)};
}

TEST(FrameHeader, UsesTheShortestLengthFormRfc6455Allows) {
  using B = std::vector<unsigned char>;
  EXPECT_EQ(header_bytes(false, 0), (B{0x81, 0}));
  EXPECT_EQ(header_bytes(true, 125), (B{0x82, 125}));
  EXPECT_EQ(header_bytes(false, 126), (B{0x81, 126, 0, 126}));
  EXPECT_EQ(header_bytes(false, 65535), (B{0x81, 126, 0xFF, 0xFF}));
  EXPECT_EQ(header_bytes(true, 65536), (B{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}));
}

// Writes queued frames through a FrameSocket the way the WebSocket session does.
struct FrameQueue : FrameSocket::Writer, std::enable_shared_from_this<FrameQueue> {
  explicit FrameQueue(websocket::stream<FrameSocket>& ws) : ws(ws) {}
  websocket::stream<FrameSocket>& ws;
  std::deque<std::pair<bool, std::string>> frames;  // binary?, payload
  std::size_t written = 0;
  bool waiting = false;
  bool blocked_once = false;
  beast::error_code failure;

  void write() {
    auto& socket = ws.next_layer();
    while (!frames.empty() && socket.frames_may_write()) {
      switch (socket.send_frame(frames.front().first, asio::buffer(frames.front().second), written,
                                failure)) {
        case FrameSocket::Progress::whole:
          frames.pop_front();
          written = 0;
          break;
        case FrameSocket::Progress::blocked:
          blocked_once = true;
          waiting = true;
          socket.wait_writable([self = shared_from_this()](beast::error_code ec) {
            self->waiting = false;
            if (ec) return self->ws.next_layer().abandon_frame();
            self->write();
          });
          return;
        case FrameSocket::Progress::failed: return socket.abandon_frame();
      }
    }
  }
  void resume_frames() override {
    if (!waiting) write();
  }
};

// A Beast client and a server WebSocket over a FrameSocket, upgraded, on one io_context.
struct Pair {
  asio::io_context io;
  websocket::stream<tcp::socket> client{io};
  std::optional<websocket::stream<FrameSocket>> server;
  std::shared_ptr<FrameQueue> queue;

  // `small_buffers`: kernel buffers of 16 KiB each way, so a few frames fill them.
  explicit Pair(bool small_buffers = false) {
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    if (small_buffers) {
      client.next_layer().open(tcp::v4());
      client.next_layer().set_option(asio::socket_base::receive_buffer_size(16384));
    }
    client.next_layer().connect(acceptor.local_endpoint());
    tcp::socket accepted(io);
    acceptor.accept(accepted);
    if (small_buffers) accepted.set_option(asio::socket_base::send_buffer_size(16384));
    server.emplace(FrameSocket(std::move(accepted)));
    queue = std::make_shared<FrameQueue>(*server);
    server->next_layer().set_writer(queue);

    bool accepted_ok = false, handshook = false;
    server->async_accept([&](beast::error_code ec) { accepted_ok = !ec; });
    client.async_handshake("127.0.0.1", "/", [&](beast::error_code ec) { handshook = !ec; });
    io.run_for(5s);
    io.restart();
    EXPECT_TRUE(accepted_ok && handshook);
  }

  // Runs until `done` or five seconds pass.
  template <class Done>
  void run_until(Done done) {
    for (auto until = std::chrono::steady_clock::now() + 5s;
         !done() && std::chrono::steady_clock::now() < until;) {
      io.restart();
      io.run_for(10ms);
    }
  }
};

TEST(FrameSocket, FramesOfEveryLengthFormArriveWholeAtABeastClient) {
  Pair pair;
  std::vector<std::size_t> sizes{0, 1, 125, 126, 65535, 65536, 300000};
  for (std::size_t i = 0; i < sizes.size(); ++i)
    pair.queue->frames.emplace_back(i % 2 == 1, std::string(sizes[i], static_cast<char>('a' + i)));
  pair.queue->write();

  for (std::size_t i = 0; i < sizes.size(); ++i) {
    beast::flat_buffer got;
    beast::error_code read_ec = asio::error::would_block;
    pair.client.async_read(got, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
    pair.run_until([&] { return read_ec != asio::error::would_block; });
    ASSERT_FALSE(read_ec) << "frame " << i << ": " << read_ec.message();
    EXPECT_EQ(pair.client.got_binary(), i % 2 == 1) << "frame " << i;
    EXPECT_EQ(beast::buffers_to_string(got.data()),
              std::string(sizes[i], static_cast<char>('a' + i)))
        << "frame " << i << " of " << sizes[i] << " bytes";
  }
}

TEST(FrameSocket, APongBeastOwesWaitsUntilThePartlyWrittenFrameIsWhole) {
  Pair pair(/*small_buffers=*/true);
  // The server reads, as a session does: that is where Beast answers a ping with a pong.
  beast::flat_buffer server_buffer;
  pair.server->async_read(server_buffer, [](beast::error_code, std::size_t) {});

  constexpr int frame_count = 40;
  constexpr std::size_t frame_bytes = 50000;  // 2 MB in all, far past the 16 KiB buffers
  for (int i = 0; i < frame_count; ++i)
    pair.queue->frames.emplace_back(false,
                                    std::string(frame_bytes, static_cast<char>('A' + i % 26)));
  pair.queue->write();
  ASSERT_TRUE(pair.queue->blocked_once) << "the test needs a frame stuck half-written";

  // The client pings while it is not reading: the server's pong must not cut into the frame
  // it is in the middle of.
  bool pinged = false, ping_read = false;
  pair.server->control_callback([&](websocket::frame_type kind, beast::string_view) {
    ping_read |= kind == websocket::frame_type::ping;
  });
  pair.client.async_ping({}, [&](beast::error_code ec) { pinged = !ec; });
  pair.run_until([&] { return pinged && ping_read; });
  ASSERT_TRUE(ping_read) << "the server owes a pong from here on";

  int pongs = 0, frames_before_first_pong = -1, frames_read = 0;
  pair.client.control_callback([&](websocket::frame_type kind, beast::string_view) {
    if (kind != websocket::frame_type::pong) return;
    if (pongs++ == 0) frames_before_first_pong = frames_read;
  });
  for (; frames_read < frame_count; ++frames_read) {
    beast::flat_buffer got;
    beast::error_code read_ec = asio::error::would_block;
    pair.client.async_read(got, [&](beast::error_code ec, std::size_t) { read_ec = ec; });
    pair.run_until([&] { return read_ec != asio::error::would_block; });
    ASSERT_FALSE(read_ec) << "frame " << frames_read << ": " << read_ec.message();
    EXPECT_EQ(beast::buffers_to_string(got.data()),
              std::string(frame_bytes, static_cast<char>('A' + frames_read % 26)))
        << "frame " << frames_read;
  }
  EXPECT_TRUE(pair.queue->frames.empty());
  EXPECT_FALSE(pair.queue->failure) << pair.queue->failure.message();
  EXPECT_EQ(pongs, 1);
  EXPECT_GE(frames_before_first_pong, 1) << "the pong came before the frame it was waiting for";
}

}  // namespace
}  // namespace puente::net
