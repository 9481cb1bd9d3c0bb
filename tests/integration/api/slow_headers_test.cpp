// Slowloris: clients that open connections and send a request a byte at a time, or stop half
// way, are closed once limits.http_idle_seconds have passed since the request began (the
// deadline covers the whole request, headers and body, not the gap between two bytes), and
// other clients are served meanwhile. No speed is asserted: only that each is closed, within a
// bound far above the configured deadline.
#include "test_network.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The deadline the node is given, and how long a test waits for it before calling it missing:
// far above it, so a loaded machine cannot fail the test.
constexpr int deadline_seconds = 2;
constexpr auto give_up_after = 30s;

// A client that sends `at_once` on connecting, then `trickled` one byte per call, and nothing
// after that.
class SlowClient {
 public:
  SlowClient(asio::io_context& ioc, unsigned short port, const std::string& at_once,
             std::string trickled)
      : socket_(ioc), trickled_(std::move(trickled)) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket_, asio::buffer(at_once));
  }

  // Sends the next byte, if any is left; then true once the server has closed the connection.
  bool trickle_and_check_closed() {
    boost::system::error_code ec;
    if (sent_ < trickled_.size()) {
      asio::write(socket_, asio::buffer(trickled_.data() + sent_, 1), ec);
      if (!ec) ++sent_;
    }
    pollfd p{socket_.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    // Readable: the end of the stream or a reset; an answer would be to a request never finished.
    char byte;
    const auto n = socket_.read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec) << "the node answered a request that was never finished: "
                    << std::string(&byte, n);
    return true;
  }

  std::size_t sent() const { return sent_; }

 private:
  asio::ip::tcp::socket socket_;
  std::string trickled_;
  std::size_t sent_ = 0;  // bytes of trickled_
};

TEST(SlowHeaders, TricklingAndStalledClientsAreClosedByTheDeadlineWhileOthersAreServed) {
  TestNetwork net("", "http_idle_seconds = " + std::to_string(deadline_seconds));
  auto node = net.start_node("a");
  asio::io_context ioc;

  std::vector<std::unique_ptr<SlowClient>> slow;
  for (int i = 0; i < 4; ++i)  // headers that never end
    slow.push_back(std::make_unique<SlowClient>(
        ioc, node->port(), "GET /healthz HTTP/1.1\r\nHost: puente\r\n", std::string(4000, 'X')));
  // Stalled after the headers, part way through the body; and silent from the start.
  slow.push_back(std::make_unique<SlowClient>(
      ioc, node->port(),
      "POST /v1/reports HTTP/1.1\r\nHost: puente\r\nContent-Length: 1000\r\n\r\n{\"kind\":", ""));
  slow.push_back(std::make_unique<SlowClient>(ioc, node->port(), "", ""));

  const auto started = Clock::now();
  std::vector<bool> closed(slow.size(), false);
  std::size_t served = 0;
  while (std::count(closed.begin(), closed.end(), true) < static_cast<long>(slow.size()) &&
         Clock::now() - started < give_up_after) {
    for (std::size_t i = 0; i < slow.size(); ++i)
      if (!closed[i]) closed[i] = slow[i]->trickle_and_check_closed();
    // Meanwhile an ordinary client is served.
    EXPECT_EQ(node->call(http::verb::get, "/healthz", "").status, 200u);
    ++served;
    std::this_thread::sleep_for(50ms);
  }
  for (std::size_t i = 0; i < slow.size(); ++i)
    EXPECT_TRUE(closed[i]) << "slow client " << i << " still open after " << give_up_after.count()
                           << " s, having sent " << slow[i]->sent() << " bytes";
  EXPECT_GT(served, 0u);
  // The trickling clients sent bytes all along: a deadline reset by each byte would never close
  // them.
  EXPECT_GT(slow[0]->sent(), 1u);

  auto created = node->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(boyle_heights.lat, boyle_heights.lon));
  EXPECT_EQ(created.status, 201u) << created.body;
}

}  // namespace
}  // namespace puente::test
