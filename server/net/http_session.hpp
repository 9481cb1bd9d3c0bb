#pragma once
// One HTTP/1.1 connection: reads a request (bounded body, idle deadline), routes it, writes
// the response when the service answers (possibly from another thread), then reads the next.
// One request at a time per connection. GET /v1/ws with an Upgrade becomes a WebSocketSession.

#include "net/server_context.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace puente::net {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context);
  ~HttpSession();

  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void answer_read_error(boost::beast::error_code ec);
  void write(Response response, bool keep_alive);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void do_shutdown();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<ServerContext> context_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;  // alive until its write completes
  std::chrono::steady_clock::time_point started_;
  bool upgraded_ = false;
};

}  // namespace puente::net
