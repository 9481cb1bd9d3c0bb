#include "net/http_session.hpp"

#include "net/websocket_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

namespace puente::net {

namespace beast = boost::beast;

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerContext> context)
    : stream_(std::move(socket)), context_(std::move(context)) {
  context_->metrics->http_connections.add(1);
}

HttpSession::~HttpSession() { context_->metrics->http_connections.add(-1); }

void HttpSession::run() {
  // Start on the connection's strand: the acceptor handed us a socket made on one.
  boost::asio::dispatch(stream_.get_executor(),
                        beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(context_->limits.http_body_bytes);
  stream_.expires_after(context_->limits.http_idle);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  started_ = std::chrono::steady_clock::now();
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset)
    return do_shutdown();
  if (ec) return answer_read_error(ec);

  beast::error_code peer_ec;
  auto peer = stream_.socket().remote_endpoint(peer_ec).address().to_string();
  if (context_->admit)
    if (auto refusal = context_->admit(parser_->get(), peer))
      return write(std::move(*refusal), parser_->get().keep_alive());

  if (beast::websocket::is_upgrade(parser_->get())) {
    if (parser_->get().target() != "/v1/ws")
      return write(error_response(http::status::not_found, "not_found",
                                  "WebSocket is served at /v1/ws only"),
                   false);
    const auto& upgrade = parser_->get();
    if (!origin_allowed(upgrade[http::field::origin], upgrade[http::field::host], context_->limits.allowed_origins))
      return write(error_response(http::status::forbidden, "origin_not_allowed",
                                  "WebSockets are served to this network's own pages only"),
                   false);
    upgraded_ = true;
    std::make_shared<WebSocketSession>(std::move(stream_), context_)->run(parser_->release());
    return;
  }

  bool keep_alive = parser_->get().keep_alive();
  // The service may answer from any thread; the write goes back through the strand.
  Respond respond = [self = shared_from_this(), keep_alive](Response response) {
    boost::asio::post(self->stream_.get_executor(),
                      [self, keep_alive, response = std::move(response)]() mutable {
                        self->write(std::move(response), keep_alive);
                      });
  };
  context_->router.dispatch(parser_->release(), std::move(respond), std::move(peer));
}

void HttpSession::answer_read_error(beast::error_code ec) {
  // The request could not be read whole: answer why, then close, since the rest of the
  // byte stream cannot be trusted to start a new request.
  if (ec == http::error::body_limit)
    return write(error_response(http::status::payload_too_large, "body_too_large",
                                "request body over " +
                                    std::to_string(context_->limits.http_body_bytes) + " bytes"),
                 false);
  if (ec == http::error::header_limit)
    return write(error_response(http::status::request_header_fields_too_large, "headers_too_large",
                                "request headers too large"),
                 false);
  write(error_response(http::status::bad_request, "bad_request", "malformed HTTP request: " + ec.message()),
        false);
}

void HttpSession::write(Response response, bool keep_alive) {
  context_->metrics->http_requests.inc();
  context_->metrics->request_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  response.keep_alive(keep_alive);
  response.set(http::field::server, "puented");
  add_security_headers(response, context_->security_policy);
  response.prepare_payload();
  response_ = std::make_shared<Response>(std::move(response));
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return do_shutdown();
  if (!keep_alive) return do_shutdown();
  do_read();
}

void HttpSession::do_shutdown() {
  if (upgraded_) return;
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace puente::net
