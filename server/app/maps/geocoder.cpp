#include "app/maps/geocoder.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <stdexcept>

namespace puente::app {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// A page of a few places is a few kilobytes; a geocoder's answer past this is not one.
constexpr std::uint64_t geocoder_answer_max_bytes = 256 * 1024;

// Nominatim's usage policy asks every client to name itself.
constexpr const char* geocoder_user_agent = "puented (Puente alert network; address search)";

// One search: resolve, connect, TLS if https, GET, read, parse. Keeps itself alive through its
// pending handlers; everything runs on its own strand.
class GeocoderSearch : public std::enable_shared_from_this<GeocoderSearch> {
 public:
  GeocoderSearch(boost::asio::any_io_executor executor, ssl::context& tls,
                 const GeocoderSettings& settings, std::string target, core::GeoBounds bounds,
                 std::size_t limit, std::shared_ptr<std::atomic<std::size_t>> in_flight,
                 Geocoder::Done done)
      : executor_(boost::asio::make_strand(executor)),
        resolver_(executor_),
        deadline_(executor_),
        stream_(executor_, tls),
        settings_(settings),
        target_(std::move(target)),
        bounds_(bounds),
        limit_(limit),
        in_flight_(std::move(in_flight)),
        done_(std::move(done)) {}

  void start() {
    boost::asio::dispatch(executor_, [self = shared_from_this()] { self->resolve(); });
  }

 private:
  // The plain stream, or the TLS one over it, whichever this search speaks.
  template <typename Operation>
  void on_stream(Operation operation) {
    if (settings_.url.tls)
      operation(stream_);
    else
      operation(stream_.next_layer());
  }

  std::chrono::milliseconds left() const {
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        until_ - std::chrono::steady_clock::now()));
  }

  void resolve() {
    until_ = std::chrono::steady_clock::now() + settings_.timeout;
    // The resolver has no deadline of its own: the timer cancels it.
    deadline_.expires_after(settings_.timeout);
    deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->finished_) return;
      self->resolver_.cancel();
      self->fail(Geocoder::Failure::unavailable, "resolving its host timed out");
    });
    resolver_.async_resolve(settings_.url.host, settings_.url.port,
                            [self = shared_from_this()](boost::system::error_code ec,
                                                        tcp::resolver::results_type results) {
                              self->on_resolve(ec, results);
                            });
  }

  void on_resolve(boost::system::error_code ec, const tcp::resolver::results_type& results) {
    deadline_.cancel();
    if (finished_) return;
    if (ec) return fail(Geocoder::Failure::unavailable, "resolving its host: " + ec.message());
    auto& socket = stream_.next_layer();
    socket.expires_after(left());
    socket.async_connect(
        results, [self = shared_from_this()](boost::system::error_code ec, const tcp::endpoint&) {
          self->on_connect(ec);
        });
  }

  void on_connect(boost::system::error_code ec) {
    if (ec) return fail(Geocoder::Failure::unavailable, "connecting: " + words(ec));
    if (!settings_.url.tls) return send();
    // SNI names the host (never an address literal, RFC 6066 §3); the certificate must be
    // valid for it.
    boost::system::error_code not_an_address;
    boost::asio::ip::make_address(settings_.url.host, not_an_address);
    if (not_an_address &&
        !SSL_set_tlsext_host_name(stream_.native_handle(), settings_.url.host.c_str()))
      return fail(Geocoder::Failure::unavailable, "setting the TLS server name");
    stream_.set_verify_mode(ssl::verify_peer);
    stream_.set_verify_callback(ssl::host_name_verification(settings_.url.host));
    stream_.next_layer().expires_after(left());
    stream_.async_handshake(
        ssl::stream_base::client, [self = shared_from_this()](boost::system::error_code ec) {
          if (ec)
            return self->fail(Geocoder::Failure::unavailable, "the TLS handshake: " + words(ec));
          self->send();
        });
  }

  void send() {
    request_.method(http::verb::get);
    request_.target(target_);
    request_.version(11);
    const bool default_port = settings_.url.port == (settings_.url.tls ? "443" : "80");
    const bool ipv6 = settings_.url.host.find(':') != std::string::npos;
    const auto host = ipv6 ? "[" + settings_.url.host + "]" : settings_.url.host;
    request_.set(http::field::host, default_port ? host : host + ":" + settings_.url.port);
    request_.set(http::field::user_agent, geocoder_user_agent);
    request_.set(http::field::accept, "application/json");
    request_.set(http::field::connection, "close");
    answer_.body_limit(geocoder_answer_max_bytes);
    stream_.next_layer().expires_after(left());
    on_stream([self = shared_from_this()](auto& stream) {
      http::async_write(stream, self->request_, [self](boost::system::error_code ec, std::size_t) {
        if (ec)
          return self->fail(Geocoder::Failure::unavailable, "sending the search: " + words(ec));
        self->read();
      });
    });
  }

  void read() {
    on_stream([self = shared_from_this()](auto& stream) {
      http::async_read(stream, self->buffer_, self->answer_,
                       [self](boost::system::error_code ec, std::size_t) { self->on_read(ec); });
    });
  }

  void on_read(boost::system::error_code ec) {
    if (ec == http::error::body_limit)
      return fail(Geocoder::Failure::bad_answer, "its answer is over 256 KiB");
    if (ec && !answer_.got_some())
      return fail(Geocoder::Failure::unavailable, "reading its answer: " + words(ec));
    if (ec) return fail(Geocoder::Failure::bad_answer, "its answer broke off: " + words(ec));
    const auto& answer = answer_.get();
    if (answer.result() != http::status::ok)
      return fail(Geocoder::Failure::bad_answer,
                  "it answered HTTP " + std::to_string(answer.result_int()));
    auto places = core::nominatim_places(answer.body(), bounds_, limit_);
    if (!places)
      return fail(Geocoder::Failure::bad_answer,
                  "its answer is not a Nominatim jsonv2 list of places");
    Geocoder::Outcome outcome;
    outcome.places = std::move(*places);
    finish(std::move(outcome));
  }

  static std::string words(boost::system::error_code ec) {
    return ec == beast::error::timeout ? std::string("timed out") : ec.message();
  }

  void fail(Geocoder::Failure failure, std::string why) {
    Geocoder::Outcome outcome;
    outcome.failure = failure;
    outcome.detail = "the geocoder (" + settings_.url.host + "): " + why;
    finish(std::move(outcome));
  }

  void finish(Geocoder::Outcome outcome) {
    if (finished_) return;
    finished_ = true;
    deadline_.cancel();
    // Closed without a TLS close_notify: a geocoder that lingers must not hold the search up.
    boost::system::error_code ignored;
    stream_.next_layer().socket().close(ignored);
    in_flight_->fetch_sub(1);
    auto done = std::move(done_);
    done(std::move(outcome));
  }

  boost::asio::any_io_executor executor_;
  tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  ssl::stream<beast::tcp_stream> stream_;
  const GeocoderSettings settings_;  // a copy: a search may outlive the node's Geocoder at stop
  std::string target_;
  core::GeoBounds bounds_;
  std::size_t limit_;
  std::shared_ptr<std::atomic<std::size_t>> in_flight_;
  Geocoder::Done done_;
  std::chrono::steady_clock::time_point until_;
  bool finished_ = false;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> answer_;
};

}  // namespace

Geocoder::Geocoder(boost::asio::any_io_executor executor, GeocoderSettings settings,
                   core::GeoBounds bounds)
    : executor_(std::move(executor)), settings_(std::move(settings)), bounds_(bounds) {
  boost::system::error_code ec;
  if (settings_.ca_file.empty())
    tls_.set_default_verify_paths(ec);
  else
    tls_.load_verify_file(settings_.ca_file.string(), ec);
  if (ec)
    throw std::runtime_error("geography.geocoder_ca_file " + settings_.ca_file.string() +
                             " does not load: " + ec.message());
}

void Geocoder::search(std::string text, std::size_t limit, Done done) {
  if (in_flight_->fetch_add(1) >= settings_.max_in_flight) {
    in_flight_->fetch_sub(1);
    Outcome busy;
    busy.failure = Failure::unavailable;
    busy.detail = "the geocoder (" + settings_.url.host +
                  "): " + std::to_string(settings_.max_in_flight) + " searches already wait for it";
    return boost::asio::dispatch(
        executor_,
        [done = std::move(done), busy = std::move(busy)]() mutable { done(std::move(busy)); });
  }
  auto target = core::nominatim_search_target(settings_.url, text, limit, bounds_);
  std::make_shared<GeocoderSearch>(executor_, tls_, settings_, std::move(target), bounds_, limit,
                                   in_flight_, std::move(done))
      ->start();
}

}  // namespace puente::app
