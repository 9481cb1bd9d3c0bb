// The pages in a real browser: this test starts Redis and two puented nodes with the harness,
// then runs the Node.js tests beside it (journey.test.mjs: Debian's Chromium driven by
// playwright-core) with the nodes' addresses and the test roster's tokens in the environment.
// Screenshots land in <build dir>/browser-artifacts/.
//
// Needs `npm ci` in tests/browser and /usr/bin/chromium (tests/run.sh sees to both). Without
// them the test is skipped, saying so; with PUENTE_REQUIRE_BROWSER=1 (tests/run.sh) it fails.
#include "test_network.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace puente::test {
namespace {

namespace fs = std::filesystem;

// Chromium on a loaded 2-core machine: the Node tests take about 30 s there, 3 minutes is a hang.
constexpr std::chrono::minutes browser_deadline{3};

std::string chromium_path() {
  const char* set = std::getenv("PUENTE_CHROMIUM");
  return set ? set : "/usr/bin/chromium";
}

// What the browser tests lack on this machine; empty if nothing.
std::string missing_tools() {
  std::string missing;
  if (!ChildProcess::find_program("node")) missing += " node (Debian package nodejs);";
  if (!fs::exists(fs::path(PUENTE_BROWSER_DIR) / "node_modules" / "playwright-core"))
    missing += " playwright-core (npm ci in tests/browser);";
  if (!fs::exists(chromium_path())) missing += " " + chromium_path() + " (Debian package chromium);";
  return missing;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Browser, ThePagesWorkEndToEndInChromium) {
  if (auto missing = missing_tools(); !missing.empty()) {
    if (std::getenv("PUENTE_REQUIRE_BROWSER")) FAIL() << "browser tests need:" << missing;
    GTEST_SKIP() << "browser tests need:" << missing;
  }
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto url = [](PuentedNode& node) { return "http://127.0.0.1:" + std::to_string(node.port()); };

  const auto log = net.dir() / "browser.log";
  ChildProcess node("node",
                    {"--test", "--test-concurrency=1", "--test-reporter=spec",
                     std::string(PUENTE_BROWSER_DIR) + "/journey.test.mjs"},
                    log,
                    {{"PUENTE_NODE_A", url(*a)},
                     {"PUENTE_NODE_B", url(*b)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")},
                     {"PUENTE_OBSERVER_ID", "obs-bh"},
                     {"PUENTE_CHROMIUM", chromium_path()},
                     {"PUENTE_ARTIFACTS", PUENTE_BROWSER_ARTIFACTS}});
  auto exit = node.wait_for_exit(browser_deadline);
  if (!exit) node.kill_now();
  const auto output = read_all(log);
  std::cout << output << "\nscreenshots: " << PUENTE_BROWSER_ARTIFACTS << "\n";
  ASSERT_TRUE(exit) << "the browser tests did not end within " << browser_deadline.count() << " minutes";
  EXPECT_TRUE(exit->exited && exit->code == 0) << "the browser tests failed (their output is above)";
}

}  // namespace
}  // namespace puente::test
