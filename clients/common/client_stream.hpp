#pragma once
// A client connection's byte stream: TCP, or TLS over TCP for an https:// server. It is an
// asynchronous stream either way, so Beast's HTTP and WebSocket code runs over it unchanged;
// beast::get_lowest_layer() reaches the TCP stream (deadlines, connect, socket options).
//
// The server's certificate is checked against the trusted certificates (a CA file if one is
// given, else the system's) and against the host name or IP the client asked for.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace puente::client {

class ClientStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;
  using next_layer_type = boost::beast::tcp_stream;

  explicit ClientStream(boost::asio::io_context& ioc) : tcp_(ioc) {}

  executor_type get_executor() { return tcp_.get_executor(); }
  boost::beast::tcp_stream& next_layer() { return tcp_; }
  bool tls() const { return tls_ != nullptr; }

  // Prepares TLS over the TCP stream (connected or about to be) for `host`; the caller then
  // runs async_handshake. Throws std::runtime_error if `ca_file` cannot be read.
  void use_tls(const std::string& host, const std::filesystem::path& ca_file);
  // Back to no TLS: the next connection starts a session of its own.
  void reset_tls() { tls_.reset(); }

  template <class Handler>
  void async_handshake(Handler&& handler) {
    tls_->async_handshake(boost::asio::ssl::stream_base::client, std::forward<Handler>(handler));
  }

  template <class Buffers, class Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    else
      tcp_.async_read_some(buffers, std::forward<Handler>(handler));
  }

  template <class Buffers, class Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_)
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    else
      tcp_.async_write_some(buffers, std::forward<Handler>(handler));
  }

  // The end of a WebSocket over this stream (found by Beast through argument lookup): TLS
  // says close_notify first.
  template <class Handler>
  friend void async_teardown(boost::beast::role_type role, ClientStream& stream,
                             Handler&& handler) {
    if (stream.tls_)
      boost::beast::async_teardown(role, *stream.tls_, std::forward<Handler>(handler));
    else
      boost::beast::websocket::async_teardown(role, stream.tcp_.socket(),
                                              std::forward<Handler>(handler));
  }
  friend void teardown(boost::beast::role_type role, ClientStream& stream,
                       boost::system::error_code& ec) {
    if (stream.tls_)
      boost::beast::teardown(role, *stream.tls_, ec);
    else
      boost::beast::websocket::teardown(role, stream.tcp_.socket(), ec);
  }

 private:
  boost::beast::tcp_stream tcp_;
  std::optional<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream&>> tls_;
};

}  // namespace puente::client
