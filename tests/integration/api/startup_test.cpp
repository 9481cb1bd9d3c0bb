// A node checks its configuration at start: a bad policy stops it with a message naming the
// option, before it serves anything.
#include "test_network.hpp"

#include "file_text.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace puente::test {
namespace {

std::string start_failure(const std::string& extra_config) {
  TestNetwork net(extra_config);
  try {
    net.start_node("a");
  } catch (const std::runtime_error&) {
    return file_text(net.dir() / "a" / "puented.log");
  }
  ADD_FAILURE() << "the node started with: " << extra_config;
  return {};
}

TEST(Startup, ABadPolicyStopsTheNodeNamingTheOption) {
  EXPECT_NE(start_failure("[policy.quorum]\ncount = 0\n").find("policy.quorum.count"), std::string::npos);
  EXPECT_NE(start_failure("[policy.neighborhoods.atlantis]\ndedup_meters = 100\n").find("atlantis"), std::string::npos);
  EXPECT_NE(start_failure("[policy]\nverify_first = true\n").find("verify_first"), std::string::npos);
}

}  // namespace
}  // namespace puente::test
