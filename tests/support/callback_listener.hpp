#pragma once
// A test's HTTP listener on a free loopback port, standing in for puented's inbound and
// delivery-report routes: it answers every request 200 with an empty body and keeps what came
// (method, target, Authorization, Content-Type, body) for the test to read.
//
//   puente::test::CallbackListener listener;
//   ... post-url = "http://kannel:<secret>@127.0.0.1:" + listener.port() + "/v1/sms/inbound?..."
//   ASSERT_TRUE(wait_until([&] { return listener.received().size() == 1; }));
//
// One thread, one request a connection (answered with Connection: close); stopped and joined
// by the destructor.

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace puente::test {

struct CallbackRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string content_type;
  std::string body;
};

class CallbackListener {
 public:
  CallbackListener();
  ~CallbackListener();

  CallbackListener(const CallbackListener&) = delete;
  CallbackListener& operator=(const CallbackListener&) = delete;

  unsigned short port() const { return port_; }
  std::vector<CallbackRequest> received() const;

 private:
  void serve();

  boost::asio::io_context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<CallbackRequest> received_;
  std::thread thread_;
};

}  // namespace puente::test
