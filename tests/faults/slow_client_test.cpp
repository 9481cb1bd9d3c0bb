// Backpressure: a client that reads nothing is closed once its queue passes the byte bound
// ("try again later"), while a client beside it gets every alert. The node's memory for the
// slow one stays bounded by the configured bytes.
#include "test_network.hpp"

#include "connection_error.hpp"
#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <future>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

TEST(Backpressure, ASlowClientIsClosedAndTheOthersGetEverything) {
  // A 32 KiB queue and a small kernel send buffer: a client that never reads passes the bound
  // after a few dozen large alerts (the client's own receive buffer, ~128 KiB, fills first).
  // The slow client reads only once every update is posted: its close frame waits for it.
  TestNetwork net(
      "",
      "ws_queue_bytes = 32768\nsocket_send_buffer_bytes = 4096\nws_close_grace_seconds = 120\n");
  auto node = net.start_node("a");
  auto slow = node->socket(net.token("obs-bh"), {"boyle-heights"});
  auto reader = node->socket(net.token("att-bh"), {"boyle-heights"});

  auto created = node->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(boyle_heights.lat, boyle_heights.lon));
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(created.body, receipt), "");
  const auto id = receipt.incident().id();
  ASSERT_EQ(
      node->call(http::verb::post, "/v1/incidents/" + id + "/confirm", net.token("disp")).status,
      200u);
  ASSERT_TRUE(next_alert(*reader));  // DISPATCH

  const std::string note(1800, 'x');
  constexpr int updates = 150;  // ~330 KiB to each socket
  // The reader keeps up, as a phone on a good network would: it reads all the time.
  auto reading = std::async(std::launch::async, [&reader] {
    int got = 0;
    while (got < updates && next_alert(*reader)) ++got;
    return got;
  });
  for (int i = 0; i < updates; ++i) {
    auto posted = node->call(http::verb::post, "/v1/incidents/" + id + "/updates",
                             net.token("disp"), R"({"text":")" + note + R"("})");
    ASSERT_EQ(posted.status, 200u) << posted.body;
  }
  int received = reading.get();
  EXPECT_EQ(received, updates);

  std::string closed;
  int buffered = 0;
  try {
    while (slow->read(socket_wait)) ++buffered;
  } catch (const client::ConnectionError& e) {
    closed = e.what();
  }
  EXPECT_NE(closed.find("send queue full"), std::string::npos) << closed;
  auto metrics = node->metrics();
  EXPECT_EQ(metrics.body.find("puente_queue_drops_total 0\n"), std::string::npos);
  std::printf(
      "backpressure: accepted %d, delivered %d to the reader, slow client got %d then was closed\n",
      updates, received, buffered);
}

}  // namespace
}  // namespace puente::test
