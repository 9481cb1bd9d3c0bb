#include "http_client.hpp"

#include "client_stream.hpp"
#include "connection_error.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace puente::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// A list of incidents with their reports, alerts and acks can grow large; Beast's default
// limit for a response body is 8 MiB.
constexpr std::uint64_t body_limit = 64ull * 1024 * 1024;

std::string describe(std::chrono::milliseconds timeout) {
  auto ms = timeout.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  std::string text = std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
  while (text.back() == '0') text.pop_back();
  return text + " s";
}

// A header value must not smuggle a line break (or any control character) into the request.
bool fits_in_header(std::string_view value) {
  return std::all_of(value.begin(), value.end(),
                     [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// What a server that closed an idle keep-alive connection looks like from our side.
bool is_stale_connection(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

// The outcome of one asynchronous operation, shared with its handler: a handler that runs late
// (a resolve abandoned at its deadline) writes here, never into a stack frame that is gone.
struct Outcome {
  bool done = false;
  error_code ec;
  std::vector<tcp::endpoint> endpoints;
};

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (equal_ignoring_case(key, name)) return value;
  return std::nullopt;
}

struct HttpClient::Link {
  // Declared first, destroyed last: the I/O objects below belong to it.
  asio::io_context ioc;
  tcp::resolver resolver{ioc};
  ClientStream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;

  // Runs handlers until the operation is done. Stream operations end by themselves at the
  // stream's expiry (beast::error::timeout), so this never waits past the deadline.
  void run_until_done(const Outcome& outcome) {
    ioc.restart();
    while (!outcome.done && ioc.run_one() > 0) {
    }
  }

  beast::tcp_stream& tcp_layer() { return stream.next_layer(); }

  void drop() {
    error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_layer().close();
    stream.reset_tls();
    buffer.consume(buffer.size());
    connected = false;
  }
};

HttpClient::HttpClient(std::string host, unsigned short port, std::chrono::milliseconds timeout)
    : HttpClient(ServerAddress{std::move(host), port}, timeout) {}

HttpClient::HttpClient(const ServerAddress& server, std::chrono::milliseconds timeout)
    : server_(server), timeout_(timeout), link_(std::make_unique<Link>()) {}

HttpClient::~HttpClient() { close(); }

std::string HttpClient::address() const { return server_.to_string(); }

void HttpClient::close() {
  if (link_->connected) link_->drop();
}

void HttpClient::connect(Clock::time_point deadline) {
  auto outcome = std::make_shared<Outcome>();
  error_code ec;
  auto ip = asio::ip::make_address(server_.host, ec);
  if (!ec) {
    // An IP needs no resolver (and no resolver thread).
    outcome->endpoints.emplace_back(ip, server_.port);
  } else {
    link_->resolver.async_resolve(server_.host, std::to_string(server_.port),
                                  [outcome](error_code e, tcp::resolver::results_type results) {
                                    outcome->ec = e;
                                    for (const auto& entry : results)
                                      outcome->endpoints.push_back(entry.endpoint());
                                    outcome->done = true;
                                  });
    link_->ioc.restart();
    while (!outcome->done) {
      if (link_->ioc.run_one_until(deadline) > 0) continue;
      // getaddrinfo cannot be interrupted: abandon the lookup; its handler writes to `outcome`.
      link_->resolver.cancel();
      throw ConnectionError("cannot resolve " + server_.host + ": no answer within " +
                            describe(timeout_));
    }
    if (outcome->ec)
      throw ConnectionError("cannot resolve " + server_.host + ": " + outcome->ec.message());
  }

  Outcome connected;
  link_->tcp_layer().expires_at(deadline);
  link_->tcp_layer().async_connect(outcome->endpoints, [&connected](error_code e, tcp::endpoint) {
    connected.ec = e;
    connected.done = true;
  });
  link_->run_until_done(connected);
  if (connected.ec) {
    link_->drop();
    if (connected.ec == beast::error::timeout)
      throw ConnectionError("cannot connect to " + address() + ": no answer within " +
                            describe(timeout_));
    throw ConnectionError("cannot connect to " + address() + ": " + connected.ec.message());
  }
  // Requests are small and latency matters more than packet count.
  link_->tcp_layer().socket().set_option(tcp::no_delay(true), ec);
  if (server_.tls) handshake(deadline);
  link_->connected = true;
  ++connections_opened_;
}

void HttpClient::handshake(Clock::time_point deadline) {
  try {
    link_->stream.use_tls(server_.host, server_.ca_file);
  } catch (const std::runtime_error& e) {
    link_->drop();
    throw ConnectionError(e.what());
  }
  Outcome shaken;
  link_->tcp_layer().expires_at(deadline);
  link_->stream.async_handshake([&shaken](error_code e) {
    shaken.ec = e;
    shaken.done = true;
  });
  link_->run_until_done(shaken);
  if (shaken.ec) {
    link_->drop();
    if (shaken.ec == beast::error::timeout)
      throw ConnectionError("no TLS handshake with " + address() + " within " + describe(timeout_));
    throw ConnectionError("TLS handshake with " + address() + " failed: " + shaken.ec.message());
  }
}

bool HttpClient::idle_connection_usable() {
  if (!link_->connected) return false;
  // Bytes left over from the last answer mean the stream is out of step.
  if (link_->buffer.size() != 0) return false;
  // A peek that would block means the connection is open and quiet, as it should be; end of
  // stream, an error or unsolicited bytes (a 408 before closing) mean it is not.
  auto& socket = link_->tcp_layer().socket();
  error_code ec;
  socket.non_blocking(true, ec);
  if (ec) return false;
  char byte;
  socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
  error_code ignored;
  socket.non_blocking(false, ignored);
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

HttpResponse HttpClient::request(http::verb verb, std::string_view target, std::string_view body,
                                 std::string_view token, std::string_view content_type,
                                 const Headers& extra_headers) {
  if (!target.starts_with('/') || !fits_in_header(target) ||
      target.find(' ') != std::string_view::npos)
    throw std::invalid_argument("bad request target \"" + std::string(target) + "\"");
  if (!fits_in_header(token))
    throw std::invalid_argument("the token contains characters an HTTP header cannot carry");
  auto deadline = Clock::now() + timeout_;

  http::request<http::string_body> req{verb, std::string(target), 11};
  req.set(http::field::host, address());
  req.set(http::field::user_agent, "puente-client/0.1");
  req.set(http::field::accept, content_type);
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + std::string(token));
  if (!body.empty() || verb == http::verb::post || verb == http::verb::put ||
      verb == http::verb::patch) {
    req.set(http::field::content_type, content_type);
    req.body() = std::string(body);
  }
  for (const auto& [name, value] : extra_headers) {
    if (!fits_in_header(name) || !fits_in_header(value))
      throw std::invalid_argument("header " + name + " contains a control character");
    req.set(name, value);
  }
  req.keep_alive(true);
  req.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    bool reused = idle_connection_usable();
    if (!reused) {
      close();
      connect(deadline);
    }

    Outcome written;
    link_->tcp_layer().expires_at(deadline);
    http::async_write(link_->stream, req, [&written](error_code e, std::size_t) {
      written.ec = e;
      written.done = true;
    });
    link_->run_until_done(written);

    Outcome read;
    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    if (verb == http::verb::head) parser.skip(true);
    if (!written.ec) {
      link_->tcp_layer().expires_at(deadline);
      http::async_read(link_->stream, link_->buffer, parser, [&read](error_code e, std::size_t) {
        read.ec = e;
        read.done = true;
      });
      link_->run_until_done(read);
    }

    error_code ec = written.ec ? written.ec : read.ec;
    if (!ec) {
      link_->tcp_layer().expires_never();
      auto res = parser.release();
      if (!res.keep_alive()) link_->drop();
      HttpResponse out;
      out.status = res.result_int();
      out.reason = std::string(res.reason());
      out.body = std::move(res.body());
      for (const auto& field : res) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      out.content_type = out.header("Content-Type").value_or("");
      return out;
    }

    link_->drop();
    if (reused && attempt == 0 && is_stale_connection(ec)) continue;
    if (ec == beast::error::timeout)
      throw ConnectionError("no answer from " + address() + " within " + describe(timeout_));
    throw ConnectionError("connection to " + address() + " failed: " + ec.message());
  }
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    // RFC 3986 unreserved characters pass; everything else is escaped.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace puente::client
