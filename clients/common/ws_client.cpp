#include "ws_client.hpp"

#include "client_stream.hpp"
#include "connection_error.hpp"
#include "puente/v1/json.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <functional>
#include <stdexcept>
#include <vector>

namespace puente::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

std::string timeout_text(std::chrono::milliseconds timeout) {
  auto ms = timeout.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

// What a refused upgrade said: the server's {"error": {"message"}} if it sent one.
std::string refusal(const websocket::response_type& res) {
  std::string what = "HTTP " + std::to_string(res.result_int());
  if (!res.reason().empty()) what += " " + std::string(res.reason());
  puente::v1::ServerMessage answer;
  if (!res.body().empty() &&
      puente::wire::from_json(res.body(), answer, puente::wire::UnknownFields::skip).empty() &&
      answer.has_error())
    what += ": " + answer.error().message() + " (" + answer.error().code() + ")";
  return what;
}

// A resolve shared with its handler: a lookup abandoned at the deadline completes later into
// this, not into a stack frame that is gone.
struct Lookup {
  bool done = false;
  error_code ec;
  std::vector<tcp::endpoint> endpoints;
};

}  // namespace

struct WsClient::Link {
  // Declared first, destroyed last: the stream belongs to it.
  asio::io_context ioc;
  tcp::resolver resolver{ioc};
  websocket::stream<ClientStream> ws{ioc};
  bool open = false;

  // The read in flight, and what it brought once it completed.
  beast::flat_buffer read_buffer;
  bool reading = false;
  bool frame_ready = false;
  bool frame_binary = false;
  error_code read_ec;

  bool writing = false;
  error_code write_ec;
  bool closing = false;

  void start_read() {
    reading = true;
    ws.async_read(read_buffer, [this](error_code ec, std::size_t) {
      reading = false;
      frame_ready = true;
      read_ec = ec;
      frame_binary = !ec && !ws.got_text();
    });
  }

  // Runs handlers until `done()` or the deadline; says whether `done()` came true.
  bool run_until(const std::function<bool()>& done, Clock::time_point deadline) {
    ioc.restart();
    ioc.poll();
    while (!done()) {
      if (ioc.run_one_until(deadline) == 0) return done();
    }
    return true;
  }

  // Drops the connection at once and lets the operations in flight finish with an error.
  void abort() {
    open = false;
    error_code ignored;
    beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws).close();
    // Closed sockets complete their operations at once; the bound is for a lookup that
    // getaddrinfo still holds.
    run_until([this] { return !reading && !writing && !closing; },
              Clock::now() + std::chrono::seconds(1));
  }
};

WsClient::WsClient() = default;

WsClient::~WsClient() {
  if (link_) link_->abort();
}

bool WsClient::is_open() const { return link_ && link_->open; }

void WsClient::fail(const std::string& what) {
  if (link_) link_->abort();
  throw ConnectionError(what);
}

void WsClient::connect(const std::string& host, unsigned short port, const std::string& target,
                       std::chrono::milliseconds timeout) {
  connect(ServerAddress{host, port}, target, timeout);
}

void WsClient::connect(const ServerAddress& server, const std::string& target,
                       std::chrono::milliseconds timeout) {
  // A WebSocket stream is not reused after it closed: a new connection gets a new one.
  if (link_) link_->abort();
  link_ = std::make_unique<Link>();
  const auto& host = server.host;
  auto port = server.port;
  address_ = server.to_string();
  timeout_ = timeout;
  auto deadline = Clock::now() + timeout;

  auto lookup = std::make_shared<Lookup>();
  error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (!ec) {
    lookup->endpoints.emplace_back(ip, port);
  } else {
    link_->resolver.async_resolve(host, std::to_string(port),
                                  [lookup](error_code e, tcp::resolver::results_type results) {
                                    lookup->ec = e;
                                    for (const auto& entry : results)
                                      lookup->endpoints.push_back(entry.endpoint());
                                    lookup->done = true;
                                  });
    if (!link_->run_until([&lookup] { return lookup->done; }, deadline)) {
      link_->resolver.cancel();
      fail("cannot resolve " + host + ": no answer within " + timeout_text(timeout));
    }
    if (lookup->ec) fail("cannot resolve " + host + ": " + lookup->ec.message());
  }

  auto& tcp_stream = beast::get_lowest_layer(link_->ws);
  bool done = false;
  tcp_stream.expires_at(deadline);
  tcp_stream.async_connect(lookup->endpoints, [&](error_code e, tcp::endpoint) {
    ec = e;
    done = true;
  });
  link_->run_until([&done] { return done; }, Clock::time_point::max());
  if (ec == beast::error::timeout)
    fail("cannot connect to " + address_ + ": no answer within " + timeout_text(timeout));
  if (ec) fail("cannot connect to " + address_ + ": " + ec.message());
  tcp_stream.socket().set_option(tcp::no_delay(true), ec);

  if (server.tls) {
    try {
      link_->ws.next_layer().use_tls(host, server.ca_file);
    } catch (const std::runtime_error& e) {
      fail(e.what());
    }
    done = false;
    link_->ws.next_layer().async_handshake([&](error_code e) {
      ec = e;
      done = true;
    });
    link_->run_until([&done] { return done; }, Clock::time_point::max());
    if (ec == beast::error::timeout)
      fail("no TLS handshake with " + address_ + " within " + timeout_text(timeout));
    if (ec) fail("TLS handshake with " + address_ + " failed: " + ec.message());
  }

  link_->ws.set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(http::field::user_agent, "puente-client/0.1"); }));
  websocket::response_type res;
  done = false;
  link_->ws.async_handshake(res, address_, target, [&](error_code e) {
    ec = e;
    done = true;
  });
  link_->run_until([&done] { return done; }, Clock::time_point::max());
  if (ec == beast::error::timeout)
    fail("no answer from " + address_ + " within " + timeout_text(timeout) +
         " to the WebSocket upgrade");
  if (ec && res.result_int() != 0 && res.result() != http::status::switching_protocols)
    fail("WebSocket upgrade refused by " + address_ + target + ": " + refusal(res));
  if (ec) fail("WebSocket upgrade with " + address_ + " failed: " + ec.message());

  // From here on the WebSocket layer keeps time: the TCP deadline would cut a quiet read.
  tcp_stream.expires_never();
  websocket::stream_base::timeout limits{};
  limits.handshake_timeout = timeout;  // also bounds the closing handshake
  limits.idle_timeout = websocket::stream_base::none();
  limits.keep_alive_pings = false;
  link_->ws.set_option(limits);
  link_->open = true;
}

void WsClient::write(std::string_view data, bool binary) {
  if (!is_open())
    throw ConnectionError("not connected" + (address_.empty() ? "" : " to " + address_));
  auto& link = *link_;
  link.ws.binary(binary);
  link.writing = true;
  link.ws.async_write(asio::buffer(data.data(), data.size()), [&link](error_code e, std::size_t) {
    link.write_ec = e;
    link.writing = false;
  });
  if (!link.run_until([&link] { return !link.writing; }, Clock::now() + timeout_))
    fail("cannot write to " + address_ + " within " + timeout_text(timeout_));
  if (link.write_ec) fail("connection to " + address_ + " lost: " + link.write_ec.message());
}

void WsClient::send_text(std::string_view text) { write(text, false); }
void WsClient::send_binary(std::string_view bytes) { write(bytes, true); }
void WsClient::send(const puente::v1::ClientMessage& message) {
  send_text(puente::wire::to_json(message));
}

std::optional<std::string> WsClient::read(std::chrono::milliseconds timeout) {
  if (!link_ || (!link_->frame_ready && !link_->reading)) {
    if (!is_open())
      throw ConnectionError("not connected" + (address_.empty() ? "" : " to " + address_));
    link_->start_read();
  }
  auto& link = *link_;
  if (!link.run_until([&link] { return link.frame_ready; }, Clock::now() + timeout))
    return std::nullopt;

  link.frame_ready = false;
  if (link.read_ec) {
    auto ec = link.read_ec;
    if (ec == websocket::error::closed) {
      const auto& reason = link.ws.reason();
      std::string why = address_ + " closed the connection (code " + std::to_string(reason.code);
      if (!reason.reason.empty()) why += ": " + std::string(reason.reason.c_str());
      fail(why + ")");
    }
    fail("connection to " + address_ + " lost: " + ec.message());
  }
  last_was_binary_ = link.frame_binary;
  std::string frame = beast::buffers_to_string(link.read_buffer.data());
  link.read_buffer.consume(link.read_buffer.size());
  return frame;
}

std::optional<puente::v1::ServerMessage> WsClient::read_message(std::chrono::milliseconds timeout) {
  auto frame = read(timeout);
  if (!frame) return std::nullopt;
  return decode_server_message(*frame, last_was_binary_);
}

void WsClient::close(std::chrono::milliseconds timeout) {
  if (!is_open()) return;
  auto& link = *link_;
  // Beast bounds the closing handshake, and the wait for the server to end TCP after it, by
  // the handshake timeout.
  websocket::stream_base::timeout limits{};
  limits.handshake_timeout = timeout;
  limits.idle_timeout = websocket::stream_base::none();
  limits.keep_alive_pings = false;
  link.ws.set_option(limits);
  link.closing = true;
  link.ws.async_close(websocket::close_code::normal, [&link](error_code) { link.closing = false; });
  // Our own deadline as well: Beast's teardown timer does not always cover a server that keeps
  // TCP open after answering the close.
  link.run_until([&link] { return !link.closing && !link.reading; }, Clock::now() + timeout);
  link.abort();
  // A frame read before the close is dropped with the connection.
  link.frame_ready = false;
}

puente::v1::ServerMessage decode_server_message(std::string_view frame, bool binary) {
  puente::v1::ServerMessage message;
  if (binary) {
    if (!message.ParseFromArray(frame.data(), static_cast<int>(frame.size())))
      throw std::runtime_error("malformed binary message from the server");
    return message;
  }
  if (auto why = puente::wire::from_json(frame, message, puente::wire::UnknownFields::skip);
      !why.empty())
    throw std::runtime_error("malformed message from the server: " + why);
  return message;
}

}  // namespace puente::client
