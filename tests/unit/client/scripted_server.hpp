#pragma once
// A one-thread TCP server on 127.0.0.1 and a free port, for testing the clients: each accepted
// connection is handed to a script (plain blocking Beast calls) until the script returns.
// Connections are served one after another. The destructor stops it and joins the thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <functional>
#include <thread>

namespace puente::client::testing {

class ScriptedServer {
 public:
  using Script = std::function<void(boost::asio::ip::tcp::socket&)>;

  explicit ScriptedServer(Script script)
      : script_(std::move(script)),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        thread_([this] { serve(); }) {}

  ~ScriptedServer() {
    stopping_ = true;
    // Wake the blocking accept with a connection of our own.
    boost::system::error_code ignored;
    boost::asio::ip::tcp::socket waker(ioc_);
    waker.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }

 private:
  void serve() {
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++connections_;
      try {
        script_(socket);
      } catch (const std::exception&) {
        // The client went away mid-script; the test's expectations say whether that was right.
      }
    }
  }

  Script script_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace puente::client::testing
