#pragma once
// TLS connections to push services kept open between pushes (HTTP/1.1 keep-alive), a few per
// origin: a TLS handshake (ECDHE, the certificate chain checked) costs the sender about ten
// times what encrypting a push does, and a burst of alerts goes to the same two or three push
// services. A connection serves one push at a time; it is here only while idle.
//
// Connections are vetted once, when made (push_exchange.hpp: the address guard, the
// certificate); an idle one is dropped after `max_idle` (the push service may have closed it:
// such a connection fails its next push at once, and the exchange then makes a fresh one).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace puente::push {

using PushStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

class PushConnectionPool {
 public:
  // Keeps at most `max_idle_per_origin` idle connections per origin, each at most `max_idle`.
  PushConnectionPool(std::shared_ptr<boost::asio::ssl::context> tls,
                     std::size_t max_idle_per_origin = 16,
                     std::chrono::seconds max_idle = std::chrono::seconds(30));

  // A new, unconnected stream using the pool's TLS context (which outlives it).
  std::unique_ptr<PushStream> make_stream(boost::asio::any_io_executor executor) const;
  // An idle connection to `origin`, the most recently used first; nullptr if none. Thread-safe.
  std::unique_ptr<PushStream> take(const std::string& origin);
  // A connection whose last answer left it open and clean. Thread-safe.
  void give_back(const std::string& origin, std::unique_ptr<PushStream> stream);

  std::size_t idle_count(const std::string& origin);

 private:
  struct Idle {
    std::unique_ptr<PushStream> stream;
    std::chrono::steady_clock::time_point since;
  };

  const std::shared_ptr<boost::asio::ssl::context> tls_;
  const std::size_t max_idle_per_origin_;
  const std::chrono::seconds max_idle_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Idle>> idle_;  // by origin; the back is the newest
};

}  // namespace puente::push
