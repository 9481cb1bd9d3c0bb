// SIGTERM is a graceful shutdown: open sockets are told "going away", the process exits 0,
// and (in the sanitizer build the suite runs) leaks nothing: LeakSanitizer would fail the exit.
#include "test_network.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

TEST(Shutdown, SigtermClosesSocketsAndExitsCleanly) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto observer = node->socket(net.token("obs-bh"), {"boyle-heights"});
  ASSERT_EQ(node->call(http::verb::post, "/v1/reports", net.token("op"),
                       report_json(boyle_heights.lat, boyle_heights.lon))
                .status,
            201u);
  ASSERT_TRUE(next_alert(*observer));

  ::kill(node->process().pid(), SIGTERM);
  const auto closed_because = close_reason(*observer);
  EXPECT_NE(closed_because.find("shutting down"), std::string::npos) << closed_because;

  auto exit = node->process().wait_for_exit(30s);
  ASSERT_TRUE(exit) << "still running after SIGTERM; see " << node->log_path();
  EXPECT_TRUE(exit->exited) << "killed by signal " << exit->signal;
  EXPECT_EQ(exit->code, 0) << "see " << node->log_path();
}

}  // namespace
}  // namespace puente::test
