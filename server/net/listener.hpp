#pragma once
// Accepts TCP connections and serves each, over TLS when the node has a certificate, on a strand
// of its own.

#include "net/server_context.hpp"
#include "net/tls_certificate.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

namespace puente::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error if the address is taken. With a
  // `certificate` every connection is HTTPS (and WSS); without, plain HTTP.
  Listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
           std::shared_ptr<ServerContext> context, std::shared_ptr<TlsCertificate> certificate = nullptr);

  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void run();
  void stop();  // thread-safe

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<ServerContext> context_;
  std::shared_ptr<TlsCertificate> certificate_;
};

}  // namespace puente::net
