#pragma once
// Accepts TCP connections and serves each, over TLS when the node has a certificate, on one of
// the node's I/O threads (io_threads.hpp), taken in turn: the connection stays there for life.
// The acceptor itself runs on the main thread.

#include "net/io_threads.hpp"
#include "net/server_context.hpp"
#include "net/tls_certificate.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

namespace puente::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error if the address is taken. With a
  // `certificate` every connection is HTTPS (and WSS); without, plain HTTP.
  Listener(IoThreads& threads, boost::asio::ip::tcp::endpoint endpoint,
           std::shared_ptr<ServerContext> context,
           std::shared_ptr<TlsCertificate> certificate = nullptr);

  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void run();
  void stop();  // thread-safe

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  IoThreads& threads_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<ServerContext> context_;
  std::shared_ptr<TlsCertificate> certificate_;
};

}  // namespace puente::net
