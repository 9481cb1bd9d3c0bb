// Which Origins may open a WebSocket: none sent (not a browser), our own, the configured ones.

#include "net/server_context.hpp"

#include <gtest/gtest.h>

namespace puente::net {
namespace {

TEST(Origin, OwnPagesConfiguredOnesAndNonBrowsersOnly) {
  const std::vector<std::string> allowed{"https://puente.example.org"};
  EXPECT_TRUE(origin_allowed("", "10.0.0.5:8080", allowed));
  EXPECT_TRUE(origin_allowed("http://10.0.0.5:8080", "10.0.0.5:8080", allowed));
  EXPECT_TRUE(origin_allowed("https://board.local", "board.local", allowed));
  EXPECT_TRUE(origin_allowed("https://puente.example.org", "10.0.0.5:8080", allowed));
  EXPECT_FALSE(origin_allowed("https://evil.example", "10.0.0.5:8080", allowed));
  EXPECT_FALSE(origin_allowed("http://10.0.0.5:8080.evil.example", "10.0.0.5:8080", allowed));
  EXPECT_FALSE(origin_allowed("http://evil10.0.0.5:8080", "10.0.0.5:8080", allowed));
  EXPECT_FALSE(origin_allowed("null", "10.0.0.5:8080", allowed));
  EXPECT_FALSE(origin_allowed("https://puente.example.org.evil", "10.0.0.5:8080", allowed));
}

}  // namespace
}  // namespace puente::net
