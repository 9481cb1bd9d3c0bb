#include "net/listener.hpp"

#include "net/http_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace puente::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

Listener::Listener(IoThreads& threads, asio::ip::tcp::endpoint endpoint,
                   std::shared_ptr<ServerContext> context,
                   std::shared_ptr<TlsCertificate> certificate)
    : threads_(threads),
      acceptor_(threads.main()),
      retry_timer_(acceptor_.get_executor()),
      context_(std::move(context)),
      certificate_(std::move(certificate)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

asio::ip::tcp::endpoint Listener::local_endpoint() const { return acceptor_.local_endpoint(); }

void Listener::run() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->retry_timer_.cancel();
    self->acceptor_.close(ignored);
  });
}

void Listener::do_accept() {
  // The connection's socket is made on its I/O thread: its handlers all run there, in turn.
  acceptor_.async_accept(threads_.next(),
                         beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::beast::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Out of descriptors (EMFILE) or a transient network error: wait a little rather than
    // spin, then keep accepting; the open connections are unaffected.
    spdlog::warn("accept failed: {}; retrying in 100 ms", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](boost::beast::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  boost::system::error_code ignored;
  // Every write is a whole answer or frame: Nagle would hold an alert back until the client
  // acknowledges the one before it (up to its 40 ms delayed ACK) whenever two come close.
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (int bytes = context_->limits.socket_send_buffer_bytes; bytes > 0)
    socket.set_option(asio::socket_base::send_buffer_size(bytes), ignored);
  if (certificate_)
    serve_https(std::move(socket), context_, certificate_->current());
  else
    serve_http(std::move(socket), context_);
  do_accept();
}

}  // namespace puente::net
