#pragma once
// What every connection of a node shares: the routes, the WebSocket peer factory, the limits,
// the counters, and the open WebSockets (so shutdown can say goodbye to each).

#include "core/metrics.hpp"
#include "core/token_bucket.hpp"
#include "core/trusted_proxies.hpp"
#include "net/hub.hpp"
#include "net/router.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::net {

class WebSocketSession;

// What the application puts behind one WebSocket. Called on the session's own thread.
class SocketPeer {
 public:
  virtual ~SocketPeer() = default;
  virtual void on_message(std::string_view payload, bool binary) = 0;
  virtual void on_close() = 0;
  // A frame sent with this receipt was written to the socket; `place` is what was sent with it
  // (the peer's responder's place in the alert's recipients).
  virtual void on_written(const std::shared_ptr<const HubFrame>& receipt, std::uint32_t place) = 0;
};

using SocketPeerFactory =
    std::function<std::shared_ptr<SocketPeer>(std::shared_ptr<WebSocketSession> session)>;

struct SessionLimits {
  std::size_t http_body_bytes = 64 * 1024;  // a report is a few hundred bytes
  std::size_t ws_message_bytes = 64 * 1024;
  // A media chunk (PUT /v1/uploads/{id}, docs/evidence.md) is the one request whose body may be
  // larger: [media] chunk_bytes. 0: no larger bodies.
  std::size_t upload_chunk_bytes = 0;
  // Bytes waiting to be written to one socket, counted as allocated (core/send_queue_budget.hpp:
  // each frame's buffer plus its overhead). A phone on a bad network drains slowly; past this it
  // is closed and catches up from history on reconnect, so a thousand slow phones cost the node
  // at most a thousand times this. 1 MiB holds ~1200 alerts.
  std::size_t ws_queue_bytes = 1024 * 1024;
  // The same, summed over every socket of the node (an alert shared by many sockets counts its
  // bytes once): a socket whose next frame would take the node past it is closed as a slow
  // consumer however little it holds, so many sockets that never read cannot take the
  // machine's memory.
  std::size_t ws_node_queue_bytes = 256 * 1024 * 1024;
  // Messages a client may send on one socket (a token bucket; 0 a second: no limit). Past it
  // the socket is closed ("too many messages"): a phone sends a hello, a ping now and then, an
  // ack or a report per alert, never hundreds a second. Set by [rate_limits]
  // messages_per_socket_*.
  core::RateLimit ws_messages{20, 200};
  // Kernel send buffer per socket (SO_SNDBUF); 0 leaves the system's default.
  int socket_send_buffer_bytes = 0;
  std::chrono::seconds http_idle{30};  // keep-alive connection with no request
  std::chrono::seconds ws_hello{5};    // time to send a valid hello
  // A socket the node closes gets this long to take its queued frames and the close frame and
  // to answer it; a client that does not is cut off, so its session and memory come back. 30 s,
  // as Beast's own deadline for a close: a slow phone still reads why it was closed (1013).
  std::chrono::seconds ws_close_grace{30};
  // Origins a browser's WebSocket may come from ("https://puente.example.org"), besides the
  // node's own (the Origin that names the Host it asked): another site's page must not open a
  // socket with a token it tricked out of someone. A client that sends no Origin (not a
  // browser: the CLI, the load generator) is let through.
  std::vector<std::string> allowed_origins;
};

// May a WebSocket upgrade with this Origin and Host go ahead (see allowed_origins)?
bool origin_allowed(std::string_view origin, std::string_view host,
                    const std::vector<std::string>& allowed);

class OpenSockets {
 public:
  void add(const std::shared_ptr<WebSocketSession>& session);
  void remove(WebSocketSession* session);
  // Closes every open socket with "going away": the node is shutting down.
  void close_all();

 private:
  std::mutex mutex_;
  std::unordered_map<WebSocketSession*, std::weak_ptr<WebSocketSession>> sessions_;
};

// Decides, before routing, whether a client may make a request now (rate limits per address):
// nullopt lets it through; a response refuses it (429) and is sent instead. Thread-safe.
using Admission =
    std::function<std::optional<Response>(const Request& request, const std::string& peer_address)>;

struct ServerContext {
  Router router;
  Admission admit;  // optional
  SocketPeerFactory socket_peer_factory;
  SessionLimits limits;
  core::Metrics* metrics = nullptr;
  OpenSockets open_sockets;
  std::string security_policy = content_security_policy();  // sent with every answer
  // [node] trusted_proxies: a request from one of them is the client's that its
  // X-Forwarded-For names, for the per-address limits and the logs (http_session.cpp).
  core::TrustedProxies trusted_proxies;
  // [node] proxy_protocol: a connection from a listed proxy must open with a PROXY header (v1 or
  // v2, core/proxy_header.hpp), which names the client; one that does not is closed.
  bool proxy_protocol = false;
};

}  // namespace puente::net
