#include "net/websocket_session.hpp"

#include "net/frame_socket.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <spdlog/spdlog.h>

#include <deque>

namespace puente::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

bool expected_end(beast::error_code ec) {
  return ec == websocket::error::closed || ec == boost::asio::error::operation_aborted ||
         ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset ||
         ec == beast::error::timeout || ec == boost::asio::ssl::error::stream_truncated;
}

// A message is read in pieces of at most this many bytes: the buffer a waiting read holds is
// this big, and ten thousand idle sockets each keep one (Beast's own default is 1,536).
constexpr std::size_t read_piece_bytes = 256;

// The session over one kind of stream: FrameSocket (plain TCP, whose data frames this session
// writes itself, one non-blocking send each) or TlsStream (whose frames Beast writes).
template <class Stream>
class WebSocketConnection final : public WebSocketSession, public FrameSocket::Writer {
  static constexpr bool writes_frames_itself = std::is_same_v<Stream, FrameSocket>;

 public:
  WebSocketConnection(Stream&& stream, std::shared_ptr<ServerContext> context,
                      std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address)
      : ws_(std::move(stream)), context_(std::move(context)), tls_(std::move(tls)),
        peer_address_(std::move(peer_address)), hello_timer_(ws_.get_executor()) {}

  ~WebSocketConnection() override { context_->open_sockets.remove(this); }

  void run(Request request) {
    // The HTTP session's timeout no longer applies; the WebSocket has its own (idle pings).
    if constexpr (writes_frames_itself) ws_.next_layer().set_writer(self());
    else beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(context_->limits.ws_message_bytes);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::server, "puented");
    }));
    context_->open_sockets.add(self());
    ws_.async_accept(request, beast::bind_front_handler(&WebSocketConnection::on_accept, self()));
  }

  boost::asio::any_io_executor executor() override { return ws_.get_executor(); }

  void send(std::shared_ptr<const std::string> frame, bool binary, std::shared_ptr<const HubFrame> receipt) override {
    // Inline on the session's own thread (dispatch); posted from any other.
    boost::asio::dispatch(ws_.get_executor(), [self = self(), frame = std::move(frame), binary,
                                               receipt = std::move(receipt)]() mutable {
      self->enqueue({std::move(frame), binary, std::move(receipt)});
    });
  }

  void close(websocket::close_code code, std::string reason) override {
    boost::asio::dispatch(ws_.get_executor(), [self = self(), code, reason = std::move(reason)] {
      if (self->closed_ || self->close_pending_) return;
      self->close_reason_ = {code, reason};
      self->close_pending_ = true;
      // Frames may be queued behind a control frame of Beast's: write_frames closes after them.
      if (!self->writing_ && self->queue_.empty()) self->do_close();
    });
  }

  void mark_authenticated() override {
    boost::asio::dispatch(ws_.get_executor(), [self = self()] { self->hello_timer_.cancel(); });
  }

  const std::string& peer_address() const override { return peer_address_; }

 private:
  struct Frame {
    std::shared_ptr<const std::string> data;
    bool binary;
    std::shared_ptr<const HubFrame> receipt;
    std::size_t written = 0;  // FrameSocket: bytes of its header and payload already sent
  };

  std::shared_ptr<WebSocketConnection> self() {
    return std::static_pointer_cast<WebSocketConnection>(shared_from_this());
  }

  void on_accept(beast::error_code ec) {
    if (ec) return finish();
    context_->metrics->ws_connections.add(1);
    peer_ = context_->socket_peer_factory(self());

    hello_timer_.expires_after(context_->limits.ws_hello);
    hello_timer_.async_wait([self = self()](beast::error_code ec) {
      if (ec) return;  // authenticated or closed in time
      self->close(websocket::close_code::policy_error, "no valid hello in time");
    });
    do_read();
  }

  void do_read() {
    ws_.async_read_some(buffer_, read_piece_bytes, beast::bind_front_handler(&WebSocketConnection::on_read, self()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (!expected_end(ec)) spdlog::debug("websocket read: {}", ec.message());
      return finish();
    }
    if (!ws_.is_message_done()) return do_read();  // the rest of the message
    std::string payload = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (peer_ && !closed_) peer_->on_message(payload, ws_.got_binary());
    do_read();
  }

  void enqueue(Frame frame) {
    if (closed_ || close_pending_) return;
    if (queued_bytes_ + frame.data->size() > context_->limits.ws_queue_bytes) {
      // Too slow to keep up: dropping frames silently would break "every alert", so the client
      // is closed instead and catches up from history when it reconnects.
      context_->metrics->queue_drops.inc();
      spdlog::info("websocket: closing a client {} bytes behind", queued_bytes_);
      drop_unwritten();
      close_reason_ = {websocket::close_code::try_again_later, "send queue full"};
      close_pending_ = true;
      if (!writing_) do_close();
      return;
    }
    queued_bytes_ += frame.data->size();
    queue_.push_back(std::move(frame));
    if (!writing_) do_write();
  }

  void drop_unwritten() {
    // The frame being written stays until its write completes: the write reads its buffer, and
    // this queue may be the buffer's last owner.
    auto keep = writing_ && !queue_.empty() ? 1u : 0u;
    while (queue_.size() > keep) {
      queued_bytes_ -= queue_.back().data->size();
      queue_.pop_back();
    }
  }

  void do_write() {
    if constexpr (writes_frames_itself) return write_frames();
    if (queue_.empty()) {
      if (close_pending_) do_close();
      return;
    }
    writing_ = true;
    ws_.binary(queue_.front().binary);
    ws_.async_write(boost::asio::buffer(*queue_.front().data),
                    beast::bind_front_handler(&WebSocketConnection::on_write, self()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
      if (!expected_end(ec)) spdlog::debug("websocket write: {}", ec.message());
      drop_unwritten();
      return finish();
    }
    if (!queue_.empty()) frame_written();
    do_write();
  }

  void frame_written() {
    if (peer_ && queue_.front().receipt) peer_->on_written(queue_.front().receipt);
    queued_bytes_ -= queue_.front().data->size();
    queue_.pop_front();
  }

  // FrameSocket: each frame goes out with one non-blocking send of its header and the shared
  // payload. Only a socket whose kernel buffer is full waits (writing_) for room.
  void write_frames() {
    auto& socket = ws_.next_layer();
    while (!queue_.empty() && socket.frames_may_write()) {
      Frame& frame = queue_.front();
      // Once a close frame is on its way (ours, or Beast's answer to the client's), no data
      // frame may follow it; one already partly out is finished, or the stream would be cut.
      if (frame.written == 0 && !ws_.is_open()) return;
      beast::error_code ec;
      switch (socket.send_frame(frame.binary, boost::asio::buffer(*frame.data), frame.written, ec)) {
        case FrameSocket::Progress::whole: frame_written(); break;
        case FrameSocket::Progress::blocked: return wait_writable();
        case FrameSocket::Progress::failed: return frames_failed(ec);
      }
    }
    if (queue_.empty() && close_pending_) do_close();
  }

  void wait_writable() {
    writing_ = true;
    ws_.next_layer().wait_writable([self = self()](beast::error_code ec) {
      self->writing_ = false;
      if (ec) return self->frames_failed(ec);
      self->write_frames();
    });
  }

  void frames_failed(beast::error_code ec) {
    if (!expected_end(ec)) spdlog::debug("websocket write: {}", ec.message());
    writing_ = false;
    ws_.next_layer().abandon_frame();
    drop_unwritten();
    finish();
  }

  // FrameSocket::Writer: a control frame of Beast's is out; frames waiting behind it go on.
  void resume_frames() override {
    if constexpr (writes_frames_itself)
      if (!writing_) write_frames();
  }

  void do_close() {
    // send() and close() run inline inside the peer's own calls (a hub delivery, while the hub
    // and the peer walk their lists): the peer's on_close must not run inside them, so
    // finishing is posted.
    if (closed_ || !ws_.is_open())
      return boost::asio::post(ws_.get_executor(), [self = self()] { self->finish(); });
    // A read is always in flight; Beast lets close run beside it and the read then ends.
    ws_.async_close(close_reason_, [self = self()](beast::error_code) { self->finish(); });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    hello_timer_.cancel();
    if (peer_) {
      context_->metrics->ws_connections.add(-1);
      peer_->on_close();
      peer_.reset();
    }
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<ServerContext> context_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // what a TLS stream handshook with; null if plain
  const std::string peer_address_;
  beast::flat_buffer buffer_;
  boost::asio::steady_timer hello_timer_;
  std::shared_ptr<SocketPeer> peer_;
  std::deque<Frame> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool close_pending_ = false;
  bool closed_ = false;
  websocket::close_reason close_reason_;
};

template <class Stream>
void serve(Stream&& stream, std::shared_ptr<ServerContext> context, Request request,
           std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address) {
  std::make_shared<WebSocketConnection<Stream>>(std::move(stream), std::move(context), std::move(tls),
                                                std::move(peer_address))
      ->run(std::move(request));
}

}  // namespace

void serve_websocket(PlainStream&& stream, std::shared_ptr<ServerContext> context, Request request,
                     std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address) {
  serve(FrameSocket(stream.release_socket()), std::move(context), std::move(request), std::move(tls),
        std::move(peer_address));
}

void serve_websocket(TlsStream&& stream, std::shared_ptr<ServerContext> context, Request request,
                     std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address) {
  serve(std::move(stream), std::move(context), std::move(request), std::move(tls), std::move(peer_address));
}

}  // namespace puente::net
