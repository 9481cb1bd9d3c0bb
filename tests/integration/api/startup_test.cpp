// A node checks its configuration at start: a bad policy stops it with a message naming the
// option, before it serves anything.
#include "test_network.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

std::string start_failure(const std::string& extra_config) {
  return TestNetwork(extra_config).start_failure("a");
}

TEST(Startup, ABadPolicyStopsTheNodeNamingTheOption) {
  EXPECT_NE(start_failure("[policy.quorum]\ncount = 0\n").find("policy.quorum.count"),
            std::string::npos);
  EXPECT_NE(start_failure("[policy.neighborhoods.atlantis]\ndedup_meters = 100\n").find("atlantis"),
            std::string::npos);
  EXPECT_NE(start_failure("[policy]\nverify_first = true\n").find("verify_first"),
            std::string::npos);
}

}  // namespace
}  // namespace puente::test
