#pragma once
// The plain WebSocket's transport: a TCP socket that Beast reads through and writes its own
// control frames through (pong, ping, close), and that also takes whole data frames written
// straight to the socket by the session (websocket_session.cpp).
//
// Why: a delivery through Beast's async_write is a composed operation of four layers, an
// allocation for it, and a completion handler run later; an alert goes to thousands of sockets.
// A server's data frame is not masked, so its bytes are the same for every socket: the session
// writes the 2-10 byte header and the shared payload with one non-blocking send, and only a
// socket whose kernel buffer is full waits for writability.
//
// The one rule this class keeps: bytes of two frames never interleave on the wire. Frames and
// Beast's writes take turns:
// - Beast's write arriving while a frame is partly written is held until that frame is whole.
// - While a write of Beast's is in flight, frames wait; when it completes, the writer's
//   resume_frames() is called.
// Beast writes a control frame with one composed write that calls async_write_some again from
// its own completion until the frame is out, so "no Beast write in flight" is a frame boundary.
//
// Everything runs on the socket's own thread.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace puente::net {

// The header of one unfragmented, unmasked data frame (RFC 6455 section 5.2).
struct FrameHeader {
  std::array<unsigned char, 10> bytes{};
  std::size_t size = 0;
};
FrameHeader frame_header(bool binary, std::size_t payload_size);

class FrameSocket {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using executor_type = socket_type::executor_type;

  // Told when a write of Beast's is done, so frames held behind it can go on.
  class Writer {
   public:
    virtual void resume_frames() = 0;

   protected:
    ~Writer() = default;
  };

  explicit FrameSocket(socket_type&& socket);

  // Set once by the session that writes frames; a weak pointer, since the session owns this.
  void set_writer(std::weak_ptr<Writer> writer) { turn_->writer = std::move(writer); }

  executor_type get_executor() { return socket_.get_executor(); }
  socket_type& next_layer() { return socket_; }
  const socket_type& next_layer() const { return socket_; }

  // Beast's side.
  template <class MutableBuffers, class Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return socket_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class ConstBuffers, class Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::system::error_code, std::size_t)>(
        [this](BeastWrite handler, const ConstBuffers& buffers) {
          beast_write({boost::asio::buffer_sequence_begin(buffers),
                       boost::asio::buffer_sequence_end(buffers)},
                      std::move(handler));
        },
        handler, buffers);
  }

  // The frames' side.
  // May a frame's bytes be written now? Not while Beast writes, unless a frame is partly out.
  bool frames_may_write() const { return turn_->frame_partly_written || !turn_->beast_writing; }

  enum class Progress {
    whole,    // the frame is out
    blocked,  // the kernel's buffer is full: wait_writable, then send again
    failed,   // the connection is gone (`ec` says why): abandon_frame
  };
  // Sends what the kernel takes now, without waiting, of the data frame carrying `payload`;
  // `written` counts its bytes already sent (header included) and is advanced.
  Progress send_frame(bool binary, boost::asio::const_buffer payload, std::size_t& written,
                      boost::system::error_code& ec);
  template <class Handler>
  void wait_writable(Handler&& handler) {
    socket_.async_wait(socket_type::wait_write, std::forward<Handler>(handler));
  }
  // The frame being sent will never be whole: a write of Beast's held behind it goes on (and
  // fails, as the connection is gone).
  void abandon_frame() { frame_partly_written(false); }

 private:
  using BeastWrite =
      boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;
  struct HeldWrite {
    std::vector<boost::asio::const_buffer> buffers;  // point into Beast's own operation
    BeastWrite handler;
  };
  // Shared with the completion of Beast's write, which may run after this socket is gone
  // (aborted when the session closes).
  struct Turn {
    bool beast_writing = false;
    bool frame_partly_written = false;
    std::optional<HeldWrite> held;
    std::weak_ptr<Writer> writer;
  };

  void frame_partly_written(bool partly);
  void beast_write(std::vector<boost::asio::const_buffer> buffers, BeastWrite handler);
  void start(HeldWrite write);

  socket_type socket_;
  std::shared_ptr<Turn> turn_ = std::make_shared<Turn>();
};

// Closing: Beast tears a WebSocket down through its next layer; this one is a TCP socket.
template <class TeardownHandler>
void async_teardown(boost::beast::role_type role, FrameSocket& socket, TeardownHandler&& handler) {
  boost::beast::websocket::async_teardown(role, socket.next_layer(),
                                          std::forward<TeardownHandler>(handler));
}
void teardown(boost::beast::role_type role, FrameSocket& socket, boost::system::error_code& ec);

}  // namespace puente::net
