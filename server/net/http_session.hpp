#pragma once
// One HTTP/1.1 connection, plain or over TLS: reads a request (bounded body, idle deadline),
// routes it, writes the response when the service answers (possibly from another thread), then
// reads the next. One request at a time per connection. GET /v1/ws with an Upgrade becomes a
// WebSocket session on the same stream.

#include "net/server_context.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace puente::net {

// Serves the connection until it ends; the session keeps itself alive.
void serve_http(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context);
// The same after a TLS handshake with `tls` (which the connection keeps for its lifetime).
void serve_https(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context,
                 std::shared_ptr<boost::asio::ssl::context> tls);

}  // namespace puente::net
