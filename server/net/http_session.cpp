#include "net/http_session.hpp"

#include "core/proxy_header.hpp"
#include "net/expected_ending.hpp"
#include "net/http_types.hpp"
#include "net/websocket_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <array>
#include <chrono>
#include <optional>

namespace puente::net {

namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;

namespace {

// How long a client has for the TLS handshake: a connection that says nothing is not kept.
constexpr std::chrono::seconds tls_handshake_timeout{10};
// The media chunk route (docs/evidence.md), whose body may be up to SessionLimits::
// upload_chunk_bytes.
constexpr std::string_view upload_chunk_target = "/v1/uploads/";

// `Stream` is PlainStream or TlsStream (websocket_session.hpp).
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool tls = std::is_same_v<Stream, TlsStream>;

  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context,
              std::shared_ptr<ssl::context> tls_context)
      : stream_(make_stream(std::move(socket), tls_context)),
        context_(std::move(context)),
        tls_context_(std::move(tls_context)) {
    context_->metrics->http_connections.add(1);
  }
  ~HttpSession() { context_->metrics->http_connections.add(-1); }

  void run() {
    // Start on the connection's own thread: the acceptor runs on the main one.
    boost::asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->must_send_proxy_header()) return self->read_proxy_header();
      self->start_serving();
    });
  }

 private:
  static Stream make_stream(boost::asio::ip::tcp::socket&& socket,
                            const std::shared_ptr<ssl::context>& tls_context) {
    if constexpr (tls)
      return Stream(std::move(socket), *tls_context);
    else
      return Stream(std::move(socket));
  }

  auto& tcp() { return beast::get_lowest_layer(stream_); }

  void start_serving() {
    if constexpr (tls)
      handshake();
    else
      do_read();
  }

  // [node] proxy_protocol: only a listed proxy's connection opens with a PROXY header.
  bool must_send_proxy_header() {
    if (!context_->proxy_protocol) return false;
    beast::error_code ec;
    const auto peer = tcp().socket().remote_endpoint(ec).address().to_string();
    return !ec && context_->trusted_proxies.trusts(peer);
  }

  // Reads the PROXY header (bytes after it stay in buffer_ for the handshake or the request);
  // a connection that sends anything else, or nothing in time, is closed unanswered.
  void read_proxy_header() {
    tcp().expires_after(tls_handshake_timeout);
    tcp().async_read_some(
        buffer_.prepare(core::kProxyV2MaxBytes),
        [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
          if (ec) return;
          self->buffer_.commit(bytes);
          const auto data = self->buffer_.cdata();
          const auto header = core::parse_proxy_header(
              std::string_view(static_cast<const char*>(data.data()), data.size()));
          if (header.status == core::ProxyHeader::Status::incomplete)
            return self->read_proxy_header();
          if (header.status == core::ProxyHeader::Status::invalid) {
            spdlog::warn(
                "a listed proxy's connection did not open with a PROXY header ({}): closed",
                header.error);
            beast::error_code ignored;
            self->tcp().socket().close(ignored);
            return;
          }
          if (header.source) self->proxied_client_ = core::format_ip_address(*header.source);
          self->buffer_.consume(header.length);
          self->start_serving();
        });
  }

  void handshake() {
    tcp().expires_after(tls_handshake_timeout);
    auto done = [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) {
        // A plain-HTTP client, a scanner, a phone that lost signal: nothing to answer.
        spdlog::debug("TLS handshake: {}", ec.message());
        self->context_->metrics->tls_handshake_failures.inc();
        return;
      }
      self->do_read();
    };
    if (buffer_.size() == 0) return stream_.async_handshake(ssl::stream_base::server, done);
    // Bytes read past a PROXY header are the start of the client's handshake. The handler is
    // variadic: this Boost checks a buffered handshake's handler against the unbuffered
    // signature, void(error_code), then calls it with the bytes used as well.
    stream_.async_handshake(
        ssl::stream_base::server, buffer_.data(),
        [self = this->shared_from_this(), done](beast::error_code ec, auto... used) {
          self->buffer_.consume((std::size_t{0} + ... + used));
          done(ec);
        });
  }

  void do_read() {
    parser_.emplace();
    // Beast refuses a Content-Length over the limit as the header ends, before the route is
    // known: the header is read under the larger of the two limits, and on_header sets the
    // route's.
    parser_->body_limit(
        std::max(context_->limits.upload_chunk_bytes, context_->limits.http_body_bytes));
    tcp().expires_after(context_->limits.http_idle);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::on_header, this->shared_from_this()));
  }

  // The body's limit depends on the route: a media chunk may be larger (docs/evidence.md).
  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read(ec, 0);
    const auto& header = parser_->get();
    bool upload_chunk = context_->limits.upload_chunk_bytes > 0 &&
                        header.method() == http::verb::put &&
                        header.target().starts_with(upload_chunk_target);
    if (!upload_chunk) {
      auto length = parser_->content_length();
      if (length && *length > context_->limits.http_body_bytes)
        return answer_read_error(http::error::body_limit);
      // A chunked body is counted against the limit as it arrives.
      parser_->body_limit(context_->limits.http_body_bytes);
    }
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    started_ = std::chrono::steady_clock::now();
    if (expected_ending(ec)) return do_shutdown();
    if (ec) return answer_read_error(ec);
    if (!body_framing_is_plain(parser_->get()))
      return write(error_response(http::status::bad_request, "bad_transfer_encoding",
                                  "Transfer-Encoding may only be \"chunked\""),
                   false);

    beast::error_code peer_ec;
    auto peer = tcp().socket().remote_endpoint(peer_ec).address().to_string();
    // The client a listed proxy's PROXY header named.
    if (proxied_client_) peer = *proxied_client_;
    // Behind a listed proxy the client is the one its X-Forwarded-For names (only then: anyone
    // else's header is the client's own word), for the per-address limits and the logs.
    if (!context_->trusted_proxies.empty())
      peer = core::forwarded_client(peer, forwarded_for(parser_->get()), context_->trusted_proxies);
    if (context_->admit)
      if (auto refusal = context_->admit(parser_->get(), peer))
        return write(std::move(*refusal), parser_->get().keep_alive());

    if (beast::websocket::is_upgrade(parser_->get())) {
      if (parser_->get().target() != "/v1/ws")
        return write(error_response(http::status::not_found, "not_found",
                                    "WebSocket is served at /v1/ws only"),
                     false);
      const auto& upgrade = parser_->get();
      if (!origin_allowed(upgrade[http::field::origin], upgrade[http::field::host],
                          context_->limits.allowed_origins))
        return write(error_response(http::status::forbidden, "origin_not_allowed",
                                    "WebSockets are served to this network's own pages only"),
                     false);
      upgraded_ = true;
      serve_websocket(std::move(stream_), context_, parser_->release(), std::move(tls_context_),
                      std::move(peer));
      return;
    }

    bool keep_alive = parser_->get().keep_alive();
    // The service may answer from any thread; the write goes back to the connection's thread.
    Respond respond = [self = this->shared_from_this(), keep_alive](Response response) {
      boost::asio::post(self->stream_.get_executor(),
                        [self, keep_alive, response = std::move(response)]() mutable {
                          self->write(std::move(response), keep_alive);
                        });
    };
    context_->router.dispatch(parser_->release(), std::move(respond), std::move(peer));
  }

  // Every X-Forwarded-For line of the request, joined with "," (RFC 9110 5.3).
  static std::string forwarded_for(const Request& request) {
    std::string joined;
    for (auto range = request.equal_range("X-Forwarded-For"); range.first != range.second;
         ++range.first) {
      if (!joined.empty()) joined += ',';
      joined += range.first->value();
    }
    return joined;
  }

  // Beast reads a request whose Transfer-Encoding does not end in "chunked" ("xchunked",
  // "chunked, identity") as one without a body, leaving the body's bytes to be read as the next
  // request: the smuggling a proxy in front could be fooled by. Only "chunked" alone is taken
  // (RFC 9112 6.1: any other coding of a request is answered 400 and the connection closed).
  static bool body_framing_is_plain(const Request& request) {
    auto lines = request.count(http::field::transfer_encoding);
    return lines == 0 ||
           (lines == 1 && beast::iequals(request[http::field::transfer_encoding], "chunked"));
  }

  void answer_read_error(beast::error_code ec) {
    // The request could not be read whole: answer why, then close, since the rest of the
    // byte stream cannot be trusted to start a new request.
    if (ec == http::error::body_limit)
      return write(error_response(http::status::payload_too_large, "body_too_large",
                                  "request body over " +
                                      std::to_string(context_->limits.http_body_bytes) + " bytes"),
                   false);
    if (ec == http::error::header_limit)
      return write(error_response(http::status::request_header_fields_too_large,
                                  "headers_too_large", "request headers too large"),
                   false);
    write(error_response(http::status::bad_request, "bad_request",
                         "malformed HTTP request: " + ec.message()),
          false);
  }

  void write(Response response, bool keep_alive) {
    context_->metrics->http_requests.inc();
    context_->metrics->request_seconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    response.keep_alive(keep_alive);
    response.set(http::field::server, "puented");
    add_security_headers(response, context_->security_policy);
    // A browser that reached us over TLS keeps to it: a café's network cannot downgrade the
    // next visit to plain HTTP and read the token off the wire.
    if constexpr (tls) response.set(http::field::strict_transport_security, "max-age=31536000");
    response.prepare_payload();
    response_ = std::make_shared<Response>(std::move(response));
    if (response_->chunked())  // Beast frames the chunks
      return http::async_write(
          stream_, *response_,
          beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this(), keep_alive));
    // The head and the body as two plain buffers: the same bytes as Beast's serializer
    // (response_head), without its views over the pieces (~20,000 instructions an answer).
    head_ = response_head(*response_);
    const std::array<boost::asio::const_buffer, 2> pieces{boost::asio::buffer(head_),
                                                          boost::asio::buffer(response_->body())};
    boost::asio::async_write(
        stream_, pieces,
        beast::bind_front_handler(&HttpSession::on_write, this->shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec || !keep_alive) return do_shutdown();
    do_read();
  }

  void do_shutdown() {
    if (upgraded_) return;
    if constexpr (tls) {
      // close_notify, bounded: a client that never answers it is simply cut.
      tcp().expires_after(tls_handshake_timeout);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->tcp().close(); });
    } else {
      beast::error_code ignored;
      tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  std::shared_ptr<ServerContext> context_;
  std::shared_ptr<ssl::context> tls_context_;  // null for plain HTTP
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;  // alive until its write completes
  std::string head_;                    // response_'s head (response_head), likewise
  std::chrono::steady_clock::time_point started_;
  bool upgraded_ = false;
  std::optional<std::string> proxied_client_;  // from a PROXY header; none: the peer
};

}  // namespace

void serve_http(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context) {
  std::make_shared<HttpSession<PlainStream>>(std::move(socket), std::move(context), nullptr)->run();
}

void serve_https(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context,
                 std::shared_ptr<ssl::context> tls) {
  std::make_shared<HttpSession<TlsStream>>(std::move(socket), std::move(context), std::move(tls))
      ->run();
}

}  // namespace puente::net
