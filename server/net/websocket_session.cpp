#include "net/websocket_session.hpp"

#include "core/send_queue_budget.hpp"
#include "net/expected_ending.hpp"
#include "net/frame_socket.hpp"
#include "net/freed_memory.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>

namespace puente::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// A message is read in pieces of at most this many bytes: the buffer a waiting read holds is
// this big, and ten thousand idle sockets each keep one (Beast's own default is 1,536).
constexpr std::size_t read_piece_bytes = 256;
// A message that grew the read buffer past this gives the memory back once it is handled: the
// buffer would otherwise stay as large as the largest message the socket ever read (64 KiB).
constexpr std::size_t read_buffer_keep_bytes = 4 * read_piece_bytes;
// A socket whose queue once held more than this asks, when it goes, for freed memory to be
// given back to the system (freed_memory.hpp); smaller ones are not worth the allocator's walk.
constexpr std::size_t return_memory_above_bytes = 256 * 1024;

// The session over one kind of stream: FrameSocket (plain TCP, whose data frames this session
// writes itself, one non-blocking send each) or TlsStream (whose frames Beast writes).
template <class Stream>
class WebSocketConnection final : public WebSocketSession, public FrameSocket::Writer {
  static constexpr bool writes_frames_itself = std::is_same_v<Stream, FrameSocket>;

 public:
  WebSocketConnection(Stream&& stream, std::shared_ptr<ServerContext> context,
                      std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address)
      : ws_(std::move(stream)),
        context_(std::move(context)),
        tls_(std::move(tls)),
        peer_address_(std::move(peer_address)),
        deadline_(ws_.get_executor()) {
    const auto executor = ws_.get_executor();
    if (const auto* thread = executor.template target<boost::asio::io_context::executor_type>())
      own_thread_ = *thread;
  }

  ~WebSocketConnection() override {
    context_->open_sockets.remove(this);
    // Frames still queued (the one a failed write held, say) leave the node's count with us.
    context_->metrics->ws_queued_bytes.add(-static_cast<std::int64_t>(node_queued_bytes_));
    // Posted: the queue and the buffers are freed after this body.
    if (held_much_) return_freed_memory(ws_.get_executor());
  }

  void run(Request request) {
    // The HTTP session's timeout no longer applies; the WebSocket has its own (idle pings).
    if constexpr (writes_frames_itself)
      ws_.next_layer().set_writer(self());
    else
      beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(context_->limits.ws_message_bytes);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(http::field::server, "puented"); }));
    context_->open_sockets.add(self());
    ws_.async_accept(request, beast::bind_front_handler(&WebSocketConnection::on_accept, self()));
  }

  boost::asio::any_io_executor executor() override { return ws_.get_executor(); }

  void send(const std::shared_ptr<const std::string>& frame, bool binary,
            const std::shared_ptr<const HubFrame>& receipt, std::uint32_t place) override {
    // Inline on the session's own thread (every hub delivery); posted from any other.
    if (on_own_thread()) return enqueue(frame, binary, receipt, place);
    boost::asio::dispatch(ws_.get_executor(), [self = self(), frame, binary, receipt, place] {
      self->enqueue(frame, binary, receipt, place);
    });
  }

  void close(websocket::close_code code, std::string reason) override {
    boost::asio::dispatch(ws_.get_executor(), [self = self(), code, reason = std::move(reason)] {
      if (self->closed_ || self->close_pending_) return;
      self->begin_close({code, reason});
      // Frames may be queued behind a control frame of Beast's: write_frames closes after them.
      if (!self->writing_ && self->queue_.empty()) self->do_close();
    });
  }

  void mark_authenticated() override {
    boost::asio::dispatch(ws_.get_executor(), [self = self()] {
      if (!self->close_pending_) self->deadline_.cancel();  // else it is the close's grace
    });
  }

  const std::string& peer_address() const override { return peer_address_; }

 private:
  struct Frame {
    std::shared_ptr<const std::string> data;
    bool binary;
    std::shared_ptr<const HubFrame> receipt;
    std::uint32_t place = 0;       // told with the receipt
    std::size_t written = 0;       // FrameSocket: bytes of its header and payload already sent
    core::QueuedFrameCost cost{};  // counted while it waits
  };

  // Asked of the concrete executor, a thread-local lookup. Through any_io_executor, dispatch
  // cost two type-erased calls, a copy of the executor, a wrapped handler and a reference to the
  // session per delivery (1.4% of the node's samples at 50,000 deliveries/s, issue 22).
  bool on_own_thread() const { return own_thread_ && own_thread_->running_in_this_thread(); }

  std::shared_ptr<WebSocketConnection> self() {
    return std::static_pointer_cast<WebSocketConnection>(shared_from_this());
  }

  boost::asio::ip::tcp::socket& tcp_socket() {
    if constexpr (writes_frames_itself)
      return ws_.next_layer().next_layer();
    else
      return beast::get_lowest_layer(ws_).socket();
  }

  // From now on nothing more is read or queued; the close frame follows what is queued. A client
  // that has not taken it within the grace (one that does not read) is cut off.
  void begin_close(websocket::close_reason reason) {
    close_reason_ = std::move(reason);
    close_pending_ = true;
    deadline_.expires_after(context_->limits.ws_close_grace);  // replaces the hello's deadline
    deadline_.async_wait([self = self()](beast::error_code ec) {
      if (ec || !self->tcp_socket().is_open()) return;
      spdlog::debug("websocket: cut off a client that did not take its close frame in time");
      beast::error_code ignored;
      self->tcp_socket().close(ignored);  // what is in flight fails and finishes the session
      boost::asio::post(self->ws_.get_executor(), [self] { self->finish(); });
    });
  }

  void on_accept(beast::error_code ec) {
    if (ec) return finish();
    context_->metrics->ws_connections.add(1);
    peer_ = context_->socket_peer_factory(self());

    deadline_.expires_after(context_->limits.ws_hello);
    deadline_.async_wait([self = self()](beast::error_code ec) {
      if (ec) return;  // authenticated or closed in time
      self->close(websocket::close_code::policy_error, "no valid hello in time");
    });
    do_read();
  }

  void do_read() {
    ws_.async_read_some(buffer_, read_piece_bytes,
                        beast::bind_front_handler(&WebSocketConnection::on_read, self()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      if (!expected_ending(ec)) spdlog::debug("websocket read: {}", ec.message());
      return finish();
    }
    if (!ws_.is_message_done()) return do_read();  // the rest of the message
    std::string payload = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (buffer_.capacity() > read_buffer_keep_bytes) buffer_.shrink_to_fit();
    // Once a close has begun nothing more is read: Beast's close reads what it needs itself,
    // and a client pipelining frames behind a bad one must not have them handled (or answered).
    if (closed_ || close_pending_) return;
    if (too_many_messages()) {
      // Past the rate nothing the client says is worth its cost: each message is work and,
      // answered, a frame queued to a client that may never read it.
      spdlog::info("websocket: closing a client that sent more than {} messages a second",
                   context_->limits.ws_messages.per_second);
      return close(websocket::close_code::policy_error, "too many messages");
    }
    if (peer_) peer_->on_message(payload, ws_.got_binary());
    if (closed_ || close_pending_) return;  // the peer closed it
    do_read();
  }

  bool too_many_messages() {
    return messages_.take(context_->limits.ws_messages, std::chrono::steady_clock::now())
        .has_value();
  }

  // The buffers are copied only if the frame has to wait: their counts are shared by every socket
  // a hub frame goes to, on every I/O thread.
  void enqueue(const std::shared_ptr<const std::string>& data, bool binary,
               const std::shared_ptr<const HubFrame>& receipt, std::uint32_t place) {
    if (closed_ || close_pending_) return;
    // A hub frame (it has a receipt) is one buffer for every socket it goes to.
    const auto cost = core::queued_frame_cost(data->capacity(), receipt != nullptr);
    const auto room =
        core::room_for(cost, queued_bytes_, node_queued_bytes(),
                       {context_->limits.ws_queue_bytes, context_->limits.ws_node_queue_bytes});
    if (room != core::QueueRoom::enough) {
      // Too slow to keep up: dropping frames silently would break "every alert", so the client
      // is closed instead and catches up from history when it reconnects.
      context_->metrics->queue_drops.inc();
      spdlog::info("websocket: closing a client {} bytes behind{}", queued_bytes_,
                   room == core::QueueRoom::node_full
                       ? " (the node's sockets hold all the queued bytes they may)"
                       : "");
      drop_unwritten();
      begin_close({websocket::close_code::try_again_later, "send queue full"});
      if (!writing_) do_close();
      return;
    }
    std::size_t written = 0;
    if constexpr (writes_frames_itself)
      if (queue_.empty() && !writing_ && written_at_once(*data, binary, receipt, place, written))
        return;
    queue_.push_back({data, binary, receipt, place, written, cost});
    count(queue_.back());
    if (!writing_) do_write();
  }

  // FrameSocket, nothing queued: the frame is sent now and joins the queue only if the kernel
  // does not take it whole (or must not have it yet: a control frame of Beast's goes first).
  // At 50,000 deliveries/s nearly every frame goes this way, and spares a queue entry and two
  // updates of the node's queued-bytes gauge. True if the frame is done with (written, or the
  // connection failed: the session finishes once this send is over); else `written` says how
  // much of it went out.
  bool written_at_once(const std::string& data, bool binary,
                       const std::shared_ptr<const HubFrame>& receipt, std::uint32_t place,
                       std::size_t& written) {
    auto& socket = ws_.next_layer();
    if (!socket.frames_may_write() || !ws_.is_open()) return false;
    beast::error_code ec;
    switch (socket.send_frame(binary, boost::asio::buffer(data), written, ec)) {
      case FrameSocket::Progress::whole: told_written(receipt, place); return true;
      case FrameSocket::Progress::blocked: return false;  // the rest waits for room
      case FrameSocket::Progress::failed: frames_failed(ec); return true;
    }
    return false;
  }

  std::size_t node_queued_bytes() const {
    return static_cast<std::size_t>(
        std::max<std::int64_t>(0, context_->metrics->ws_queued_bytes.value()));
  }

  // A frame joins or leaves the queue: the socket's count and the node's follow.
  void count(const Frame& frame) {
    queued_bytes_ += frame.cost.socket;
    node_queued_bytes_ += frame.cost.node;
    context_->metrics->ws_queued_bytes.add(static_cast<std::int64_t>(frame.cost.node));
    held_much_ = held_much_ || queued_bytes_ > return_memory_above_bytes;
  }
  void uncount(const Frame& frame) {
    queued_bytes_ -= frame.cost.socket;
    node_queued_bytes_ -= frame.cost.node;
    context_->metrics->ws_queued_bytes.add(-static_cast<std::int64_t>(frame.cost.node));
  }

  void drop_unwritten() {
    // The frame being written stays until its write completes: the write reads its buffer, and
    // this queue may be the buffer's last owner.
    auto keep = writing_ && !queue_.empty() ? 1u : 0u;
    while (queue_.size() > keep) {
      uncount(queue_.back());
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
      if (!expected_ending(ec)) spdlog::debug("websocket write: {}", ec.message());
      drop_unwritten();
      return finish();
    }
    if (!queue_.empty()) frame_written();
    do_write();
  }

  void frame_written() {
    told_written(queue_.front().receipt, queue_.front().place);
    uncount(queue_.front());
    queue_.pop_front();
  }

  // A frame is out: the peer records an alert's delivery.
  void told_written(const std::shared_ptr<const HubFrame>& receipt, std::uint32_t place) {
    if (peer_ && receipt) peer_->on_written(receipt, place);
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
      switch (
          socket.send_frame(frame.binary, boost::asio::buffer(*frame.data), frame.written, ec)) {
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

  // The connection failed under a frame. A frame written at once fails inside send(), the
  // peer's own call (a socket replaying history walks its topics, which its on_close clears), so
  // finishing is posted, as in do_close. Frames sent meanwhile fail the same way.
  void frames_failed(beast::error_code ec) {
    if (!expected_ending(ec)) spdlog::debug("websocket write: {}", ec.message());
    writing_ = false;
    ws_.next_layer().abandon_frame();
    drop_unwritten();
    boost::asio::post(ws_.get_executor(), [self = self()] { self->finish(); });
  }

  // FrameSocket::Writer: a control frame of Beast's is out; frames waiting behind it go on.
  void resume_frames() override {
    if constexpr (writes_frames_itself)
      if (!writing_) write_frames();
  }

  void do_close() {
    // Once: write_frames comes here again when Beast's close frame is out (resume_frames), and
    // the session must then wait for the close to end, not finish under it.
    if (close_started_) return;
    close_started_ = true;
    // send() and close() run inline inside the peer's own calls (a hub delivery, while the hub
    // and the peer walk their lists): the peer's on_close must not run inside them, so
    // finishing is posted.
    if (closed_ || !ws_.is_open())
      return boost::asio::post(ws_.get_executor(), [self = self()] { self->finish(); });
    // Beast's close reads until the client's close frame comes, whether or not a read of ours is
    // in flight; the grace (begin_close) bounds how long.
    ws_.async_close(close_reason_, [self = self()](beast::error_code) { self->finish(); });
  }

  void finish() {
    if (closed_) return;
    closed_ = true;
    // A close that began keeps its grace until the connection is gone: the session may end (its
    // peer told, its counts given back) before Beast has torn the connection down, or with
    // nothing left to do it.
    if (!close_pending_ || !tcp_socket().is_open()) deadline_.cancel();
    drop_unwritten();  // nothing more goes out: the memory comes back now, not when the last
                       // handler ends
    if (peer_) {
      context_->metrics->ws_connections.add(-1);
      peer_->on_close();
      peer_.reset();
    }
  }

  websocket::stream<Stream> ws_;
  // The I/O thread the session lives on (io_threads.hpp); none if its executor is of another
  // kind, and then dispatch decides.
  std::optional<boost::asio::io_context::executor_type> own_thread_;
  std::shared_ptr<ServerContext> context_;
  std::shared_ptr<boost::asio::ssl::context>
      tls_;  // what a TLS stream handshook with; null if plain
  const std::string peer_address_;
  beast::flat_buffer buffer_;
  // The hello's deadline until the client authenticates; the close's grace once one begins.
  boost::asio::steady_timer deadline_;
  std::shared_ptr<SocketPeer> peer_;
  std::deque<Frame> queue_;
  std::size_t queued_bytes_ = 0;  // Frame::cost.socket of every queued frame
  std::size_t node_queued_bytes_ =
      0;                        // Frame::cost.node of every queued frame, in the node's gauge too
  bool held_much_ = false;      // the queue once held more than return_memory_above_bytes
  core::TokenBucket messages_;  // the client's messages, against limits.ws_messages
  bool writing_ = false;
  bool close_pending_ = false;
  bool close_started_ = false;  // do_close ran
  bool closed_ = false;
  websocket::close_reason close_reason_;
};

template <class Stream>
void serve(Stream&& stream, std::shared_ptr<ServerContext> context, Request request,
           std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address) {
  std::make_shared<WebSocketConnection<Stream>>(std::move(stream), std::move(context),
                                                std::move(tls), std::move(peer_address))
      ->run(std::move(request));
}

}  // namespace

void serve_websocket(PlainStream&& stream, std::shared_ptr<ServerContext> context, Request request,
                     std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address) {
  serve(FrameSocket(stream.release_socket()), std::move(context), std::move(request),
        std::move(tls), std::move(peer_address));
}

void serve_websocket(TlsStream&& stream, std::shared_ptr<ServerContext> context, Request request,
                     std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address) {
  serve(std::move(stream), std::move(context), std::move(request), std::move(tls),
        std::move(peer_address));
}

}  // namespace puente::net
