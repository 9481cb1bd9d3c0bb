#pragma once
// A blocking HTTP/1.1 client with a deadline on every request.
//
// One keep-alive connection, reused from request to request and opened again when the server
// has closed it. Each request runs Beast's asynchronous operations on a private io_context
// until they complete or the deadline passes (the synchronous Beast calls have no timeouts), so
// a request never takes longer than the timeout given at construction. A request that fails
// on a reused connection before any byte of an answer arrived is sent once more on a fresh
// connection, as curl does: the server most likely closed the idle connection as we wrote.
// An https:// address is spoken over TLS, the server's certificate checked (client_stream.hpp).
//
// Not thread-safe: one HttpClient per thread. The bearer token travels only in the
// Authorization header, never in a URL.

#include "server_address.hpp"

#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace puente::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  unsigned status = 0;       // 200, 404, ...
  std::string reason;        // "OK", "Not Found", ...
  std::string content_type;  // the Content-Type header, empty if none
  std::string body;
  Headers headers;  // every header of the answer, in order

  bool ok() const { return status >= 200 && status < 300; }
  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string> header(std::string_view name) const;
};

class HttpClient {
 public:
  static constexpr std::chrono::milliseconds default_timeout{10'000};

  HttpClient(std::string host, unsigned short port,
             std::chrono::milliseconds timeout = default_timeout);
  explicit HttpClient(const ServerAddress& server,
                      std::chrono::milliseconds timeout = default_timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads its answer, whatever the status. `target` is the path and
  // query ("/v1/incidents?status=REPORTED"), already percent-encoded. An empty `token` sends no
  // Authorization header. `extra_headers` are added last and may override the defaults (Accept,
  // User-Agent). Throws ConnectionError naming the address if the server cannot be reached or
  // does not answer within the timeout; std::invalid_argument for a target, token or header
  // that would break the request (a line break, a space in the target).
  HttpResponse request(boost::beast::http::verb verb, std::string_view target,
                       std::string_view body = {}, std::string_view token = {},
                       std::string_view content_type = "application/json",
                       const Headers& extra_headers = {});

  // Closes the kept-alive connection, if any; the next request opens a new one.
  void close();

  // "host:port", as error messages name it.
  std::string address() const;
  std::chrono::milliseconds timeout() const { return timeout_; }
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  // How many TCP connections this client has opened so far (tests check keep-alive with it).
  std::size_t connections_opened() const { return connections_opened_; }

 private:
  struct Link;  // the io_context, resolver, stream and read buffer
  using Clock = std::chrono::steady_clock;

  void connect(Clock::time_point deadline);
  void handshake(Clock::time_point deadline);
  bool idle_connection_usable();

  ServerAddress server_;
  std::chrono::milliseconds timeout_;
  std::size_t connections_opened_ = 0;
  std::unique_ptr<Link> link_;
};

// `text` percent-encoded for a path segment or a query value ("a b/c" -> "a%20b%2Fc").
std::string url_encode(std::string_view text);

}  // namespace puente::client
