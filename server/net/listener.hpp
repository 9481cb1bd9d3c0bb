#pragma once
// Accepts TCP connections and gives each an HttpSession on its own strand.

#include "net/server_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

namespace puente::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens; throws boost::system::system_error if the address is taken.
  Listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
           std::shared_ptr<ServerContext> context);

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
};

}  // namespace puente::net
