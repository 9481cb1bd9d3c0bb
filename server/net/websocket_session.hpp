#pragma once
// One WebSocket: reads frames and hands them to its SocketPeer; writes queued frames one at a
// time (Beast allows one write in flight). The queue is bounded: a client too slow to drain it
// is closed ("try again later") rather than allowed to grow the node's memory; it recovers
// by reconnecting with sinceOffset. A client that does not authenticate within the hello
// deadline is closed.

#include "net/server_context.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace puente::net {

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::beast::tcp_stream&& stream, std::shared_ptr<ServerContext> context);
  ~WebSocketSession();

  // Completes the upgrade `request` asked for, then starts reading.
  void run(Request request);

  // Queues a frame; thread-safe. The buffer is shared with every other socket it goes to.
  // With a `receipt` (the alert it carries), the peer's on_written gets it once the frame is
  // written to the socket: a pointer, not a callback, so no delivery allocates.
  void send(std::shared_ptr<const std::string> frame, bool binary, std::shared_ptr<const HubFrame> receipt = {});
  // Sends a close frame once the queue is written; thread-safe.
  void close(boost::beast::websocket::close_code code, std::string reason);
  // The peer authenticated: the hello deadline no longer applies. Thread-safe.
  void mark_authenticated();

 private:
  struct Frame {
    std::shared_ptr<const std::string> data;
    bool binary;
    std::shared_ptr<const HubFrame> receipt;
  };

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void enqueue(Frame frame);
  void drop_unwritten();
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  void finish();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::shared_ptr<ServerContext> context_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer hello_timer_;
  std::shared_ptr<SocketPeer> peer_;
  std::deque<Frame> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool close_pending_ = false;
  bool closed_ = false;
  boost::beast::websocket::close_reason close_reason_;
};

}  // namespace puente::net
