#pragma once
// One WebSocket, plain or over TLS: reads frames and hands them to its SocketPeer; writes queued
// frames one at a time (Beast allows one write in flight). Over plain TCP a frame for a socket
// with nothing queued is written at once, and only what the kernel does not take waits in the
// queue (so a frame never overtakes another). The queue is bounded: a client too
// slow to drain it is closed ("try again later") rather than allowed to grow the node's memory;
// it recovers by reconnecting with sinceOffset. Frames count as allocated, and the queues of all
// sockets together are bounded too (core/send_queue_budget.hpp). A client that does not
// authenticate within the hello deadline is closed, and so is one that sends more messages than
// SessionLimits::ws_messages allows. Once a close begins nothing more is read; a client that does
// not take the close frame within SessionLimits::ws_close_grace is cut off, and the memory its
// socket held is given back (freed_memory.hpp).
//
// A session lives on one I/O thread (io_threads.hpp): all its handlers, and its SocketPeer's
// callbacks, run there. send() and close() may be called from any thread; called on the
// session's own thread they act at once (no queued handler: the hub's deliveries come this way),
// from another thread they are posted to it. Either way frames are queued in the order of the
// calls as seen by the session's thread. The peer's on_close never runs inside either call, even
// when the connection turns out to be gone: a peer may send while it walks its own lists.

#include "net/server_context.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace puente::net {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// What the application sees of a socket. Every member is thread-safe.
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  virtual ~WebSocketSession() = default;

  // The session's own thread: what runs there runs in order with its handlers.
  virtual boost::asio::any_io_executor executor() = 0;

  // Queues a frame. The buffer is shared with every other socket it goes to. With a `receipt`
  // (the alert it carries), the peer's on_written gets it and `place` (where the peer's
  // responder stands in the alert's recipients, found once when the frame was sent) once the
  // frame is written to the socket: a pointer, not a callback, so no delivery allocates. Both
  // pointers are copied only if the frame has to wait (or is sent from another thread).
  virtual void send(const std::shared_ptr<const std::string>& frame, bool binary,
                    const std::shared_ptr<const HubFrame>& receipt = {},
                    std::uint32_t place = 0) = 0;
  // Sends a close frame once the queue is written.
  virtual void close(boost::beast::websocket::close_code code, std::string reason) = 0;
  // The peer authenticated: the hello deadline no longer applies.
  virtual void mark_authenticated() = 0;
  // The client's IP address as the node sees it (the proxy's, behind one), as HTTP requests get
  // it (RouteParams::peer_address): a bad hello takes that address's failed sign-ins bucket.
  virtual const std::string& peer_address() const = 0;
};

// Completes the upgrade `request` from `peer_address` asked for on `stream`, then serves the
// socket until it ends. A TLS stream keeps its `tls` context for its lifetime.
void serve_websocket(PlainStream&& stream, std::shared_ptr<ServerContext> context, Request request,
                     std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address);
void serve_websocket(TlsStream&& stream, std::shared_ptr<ServerContext> context, Request request,
                     std::shared_ptr<boost::asio::ssl::context> tls, std::string peer_address);

}  // namespace puente::net
