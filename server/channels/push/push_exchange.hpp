#pragma once
// One push over HTTPS. On an idle connection to the same origin if the pool has one; else a new
// one: resolve the endpoint's host, keep only the addresses the address guard passes, connect
// to one of those (never to a name again: DNS cannot answer differently between the check and
// the connection), TLS with SNI and the peer's certificate verified for the host. Then one
// POST, one answer read, and the connection back to the pool if the answer left it open and
// clean. Redirects are not followed: the answer is the result. Two deadlines: the connect
// timeout (for resolving, then again for the TCP connect), then the response timeout (TLS, the
// request, the whole answer).
//
// A reused connection the push service had closed while idle fails at once, before any byte of
// an answer: the push is then sent once more on a new connection (once: a second failure is the
// result). A service that read the push and then dropped the connection without a word would
// get it twice; a timeout is never retried here.
//
// Keeps itself alive through its pending handlers (shared_from_this); calls `done` exactly once,
// on the executor.

#include "channels/push/endpoint_guard.hpp"
#include "channels/push/push_connection_pool.hpp"
#include "channels/push/push_request.hpp"
#include "channels/push/push_result.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace puente::push {

struct ExchangeLimits {
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds response_timeout;
  bool allow_private_addresses;
};

class PushExchange : public std::enable_shared_from_this<PushExchange> {
 public:
  using Done = std::function<void(PushResult)>;

  PushExchange(boost::asio::any_io_executor executor, std::shared_ptr<PushConnectionPool> pool,
               PushEndpoint endpoint, PushRequest request, ExchangeLimits limits, Done done);

  void start();

 private:
  void connect();
  void on_resolve(boost::system::error_code ec,
                  const boost::asio::ip::tcp::resolver::results_type& results);
  void on_connect(boost::system::error_code ec);
  void on_handshake(boost::system::error_code ec);
  void send_request();
  void on_write(boost::system::error_code ec);
  void on_read(boost::system::error_code ec);
  // A reused connection that failed before any byte of the answer: send again on a new one.
  bool retry_on_new_connection(boost::system::error_code ec);
  void fail(boost::system::error_code ec, const char* what);
  void finish(PushResult result);

  boost::asio::any_io_executor executor_;  // a strand of the one given
  std::shared_ptr<PushConnectionPool> pool_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer resolve_deadline_;
  bool finished_ = false;  // `done` was called: late handlers do nothing
  std::unique_ptr<PushStream> stream_;
  bool reused_ = false;  // stream_ came from the pool
  PushEndpoint endpoint_;
  PushRequest request_;
  ExchangeLimits limits_;
  Done done_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> answer_;
};

}  // namespace puente::push
