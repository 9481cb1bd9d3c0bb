#include "channels/push/push_exchange.hpp"

#include "channels/push/address_guard.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

namespace puente::push {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;

namespace {

// A push service answers with headers and at most a short error text: more is not an answer.
constexpr std::uint64_t max_answer_body_bytes = 16 * 1024;

}  // namespace

PushExchange::PushExchange(boost::asio::any_io_executor executor,
                           std::shared_ptr<PushConnectionPool> pool, PushEndpoint endpoint,
                           PushRequest request, ExchangeLimits limits, Done done)
    : executor_(boost::asio::make_strand(executor)),
      pool_(std::move(pool)),
      resolver_(executor_),
      resolve_deadline_(executor_),
      endpoint_(std::move(endpoint)),
      request_(std::move(request)),
      limits_(limits),
      done_(std::move(done)) {}

void PushExchange::start() {
  // Everything of this exchange runs on its strand: the resolve deadline and the resolver can
  // complete on two threads of the pool at once.
  boost::asio::dispatch(executor_, [self = shared_from_this()] {
    if ((self->stream_ = self->pool_->take(self->endpoint_.origin))) {
      self->reused_ = true;
      return self->send_request();
    }
    self->connect();
  });
}

void PushExchange::connect() {
  reused_ = false;
  stream_ = pool_->make_stream(executor_);
  // The connect deadline bounds resolving, then connecting, each: a resolver that hangs is no
  // better than a connect that does. The resolver has no deadline of its own: a timer cancels it.
  resolve_deadline_.expires_after(limits_.connect_timeout);
  resolve_deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->finished_) return;  // cancelled: the resolver answered in time
    // Ends the exchange now: a cancelled lookup still waits for getaddrinfo in Asio's resolver
    // thread, and the result is not worth waiting for.
    self->resolver_.cancel();
    self->fail(beast::error::timeout, "resolving the push service's host");
  });
  resolver_.async_resolve(endpoint_.host, endpoint_.port,
                          [self = shared_from_this()](boost::system::error_code ec,
                                                      tcp::resolver::results_type results) {
                            self->on_resolve(ec, results);
                          });
}

void PushExchange::on_resolve(boost::system::error_code ec,
                              const tcp::resolver::results_type& results) {
  resolve_deadline_.cancel();
  if (finished_) return;  // the deadline came first
  if (ec) return fail(ec, "resolving the push service's host");

  // Only the addresses the guard passes are ever connected to.
  std::vector<tcp::endpoint> vetted;
  std::string_view refused_range;
  for (const auto& entry : results) {
    const auto refusal = address_refusal(entry.endpoint().address());
    if (refusal && !limits_.allow_private_addresses) {
      refused_range = *refusal;
      continue;
    }
    vetted.push_back(entry.endpoint());
  }
  if (vetted.empty()) {
    PushResult result;
    result.outcome = PushOutcome::blocked;
    result.detail = "the push service host " + endpoint_.host +
                    " resolves only to addresses a push may not reach (" +
                    std::string(refused_range) + ")";
    return finish(std::move(result));
  }

  auto& socket = beast::get_lowest_layer(*stream_);
  socket.expires_after(limits_.connect_timeout);
  socket.async_connect(
      vetted, [self = shared_from_this()](boost::system::error_code ec, const tcp::endpoint&) {
        self->on_connect(ec);
      });
}

void PushExchange::on_connect(boost::system::error_code ec) {
  if (ec) return fail(ec, "connecting to the push service");

  // SNI names the host (never an address literal, RFC 6066 §3), and the certificate must be
  // valid for it: an address literal is matched against the certificate's IP addresses.
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(endpoint_.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream_->native_handle(), endpoint_.host.c_str()))
    return fail(beast::error_code(static_cast<int>(::ERR_get_error()),
                                  boost::asio::error::get_ssl_category()),
                "setting the TLS server name");
  stream_->set_verify_mode(ssl::verify_peer);
  stream_->set_verify_callback(ssl::host_name_verification(endpoint_.host));

  beast::get_lowest_layer(*stream_).expires_after(limits_.response_timeout);
  stream_->async_handshake(
      ssl::stream_base::client,
      [self = shared_from_this()](boost::system::error_code ec) { self->on_handshake(ec); });
}

void PushExchange::on_handshake(boost::system::error_code ec) {
  if (ec) return fail(ec, "the TLS handshake with the push service");
  send_request();
}

void PushExchange::send_request() {
  beast::get_lowest_layer(*stream_).expires_after(limits_.response_timeout);
  buffer_.clear();
  answer_.emplace();
  answer_->body_limit(max_answer_body_bytes);
  http::async_write(*stream_, request_,
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      self->on_write(ec);
                    });
}

void PushExchange::on_write(boost::system::error_code ec) {
  if (ec) {
    if (retry_on_new_connection(ec)) return;
    return fail(ec, "sending the push");
  }
  http::async_read(*stream_, buffer_, *answer_,
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     self->on_read(ec);
                   });
}

void PushExchange::on_read(boost::system::error_code ec) {
  if (ec) {
    if (retry_on_new_connection(ec)) return;
    return fail(ec, "reading the push service's answer");
  }
  const auto& answer = answer_->get();
  auto result =
      result_of_answer(static_cast<int>(answer.result_int()), answer[http::field::retry_after],
                       std::chrono::system_clock::now());
  // Back to the pool only if the service keeps it open and sent nothing past the answer.
  if (answer.keep_alive() && buffer_.size() == 0) {
    beast::get_lowest_layer(*stream_).expires_never();
    pool_->give_back(endpoint_.origin, std::move(stream_));
  }
  finish(std::move(result));
}

bool PushExchange::retry_on_new_connection(boost::system::error_code ec) {
  // Only a connection from the pool that failed at once, before any byte of an answer: the
  // service closed (or reset) it while it was idle, before this push reached it. Not after the
  // response deadline: a slow service may have taken the push, and gets no second copy.
  if (!reused_ || ec == beast::error::timeout || answer_->got_some() || buffer_.size() != 0)
    return false;
  boost::system::error_code ignored;
  beast::get_lowest_layer(*stream_).socket().close(ignored);
  connect();
  return true;
}

void PushExchange::fail(boost::system::error_code ec, const char* what) {
  PushResult result;
  result.outcome = PushOutcome::network_error;
  // The stream's deadline ends an operation with beast's timeout error.
  result.detail = std::string(what) + " (" + endpoint_.host +
                  "): " + (ec == beast::error::timeout ? std::string("timed out") : ec.message());
  finish(std::move(result));
}

void PushExchange::finish(PushResult result) {
  finished_ = true;
  // A connection not given back is closed without a TLS close_notify: a push service that
  // lingers must not hold this exchange (or the caller) up.
  if (stream_) {
    boost::system::error_code ignored;
    beast::get_lowest_layer(*stream_).socket().close(ignored);
  }
  if (auto done = std::move(done_)) {
    done_ = nullptr;
    done(std::move(result));
  }
}

}  // namespace puente::push
