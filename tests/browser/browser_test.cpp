// The pages in a real browser: each test starts Redis and puented nodes with the harness, then
// runs Node.js tests beside it (Debian's Chromium driven by playwright-core) with the nodes'
// addresses and the test roster's tokens in the environment: journey.test.mjs against two
// nodes; tiles.test.mjs against three networks configured with map tiles of their own, from a
// tile server (tile_server.mjs) and without; observer_app.test.mjs against a network with Web
// Push sending to the tests' own push service (tests/push_service) and one without;
// board.test.mjs against a node with quick escalation and check-ins; board_approvals.test.mjs
// against a node with a cap of one unverified incident per neighborhood.
// Screenshots land in <build dir>/browser-artifacts/.
//
// address_search.test.mjs against a node whose geocoder is the tests' own (geocoder_server.mjs).
// Needs `npm ci` in tests/browser (and in tests/push_service for the Web Push test) and
// /usr/bin/chromium (tests/run.sh sees to all). Without them the test is skipped, saying so;
// with PUENTE_REQUIRE_BROWSER=1 (tests/run.sh) it fails.
#include "test_network.hpp"
#include "two_networks.hpp"

#include "channels/push/vapid.hpp"
#include "file_text.hpp"
#include "loopback_geocoder.hpp"
#include "loopback_push_service.hpp"
#include "temp_dir.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
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
  for (const char* package : {"playwright-core", "axe-core"})
    if (!fs::exists(fs::path(PUENTE_BROWSER_DIR) / "node_modules" / package))
      missing += std::string(" ") + package + " (npm ci in tests/browser);";
  if (!fs::exists(chromium_path()))
    missing += " " + chromium_path() + " (Debian package chromium);";
  return missing;
}

// Runs `file` (beside this one) with node's test runner and `env`; its output goes to the test's
// own output. Fails the test if it fails or hangs.
void run_browser_tests(const std::string& file, const fs::path& log,
                       std::map<std::string, std::string> env) {
  env["PUENTE_CHROMIUM"] = chromium_path();
  env["PUENTE_ARTIFACTS"] = PUENTE_BROWSER_ARTIFACTS;
  ChildProcess node("node",
                    {"--test", "--test-concurrency=1", "--test-reporter=spec",
                     std::string(PUENTE_BROWSER_DIR) + "/" + file},
                    log, env);
  auto exit = node.wait_for_exit(browser_deadline);
  if (!exit) node.kill_now();
  const auto output = file_text(log);
  std::cout << output << "\nscreenshots: " << PUENTE_BROWSER_ARTIFACTS << "\n";
  ASSERT_TRUE(exit) << file << " did not end within " << browser_deadline.count() << " minutes";
  EXPECT_TRUE(exit->exited && exit->code == 0) << file << " failed (its output is above)";
}

// Skips each test, or fails it under PUENTE_REQUIRE_BROWSER, when the browser tools are missing.
class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = missing_tools(); !missing.empty()) {
      if (std::getenv("PUENTE_REQUIRE_BROWSER")) FAIL() << "browser tests need:" << missing;
      GTEST_SKIP() << "browser tests need:" << missing;
    }
  }
};

std::string url(PuentedNode& node) { return "http://127.0.0.1:" + std::to_string(node.port()); }

TEST_F(Browser, ThePagesWorkEndToEndInChromium) {
  TestNetwork net;
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  run_browser_tests("journey.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE_A", url(*a)},
                     {"PUENTE_NODE_B", url(*b)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")},
                     {"PUENTE_OBSERVER_ID", "obs-bh"}});
}

// Two networks on one node (docs/networks.md): each page shows its token's network's name.
TEST_F(Browser, EveryPageShowsTheNameOfItsTokensNetwork) {
  TwoNetworks networks;
  auto node = networks.start_node("a");
  run_browser_tests("networks.test.mjs", networks.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*node)},
                     {"PUENTE_CITY_NAME", TwoNetworks::city_name},
                     {"PUENTE_COUNTY_NAME", TwoNetworks::county_name},
                     {"PUENTE_CITY_DISPATCHER", networks.token("city-disp")},
                     {"PUENTE_CITY_OPERATOR", networks.token("city-op")},
                     {"PUENTE_CITY_OBSERVER", networks.token("city-obs")},
                     {"PUENTE_COUNTY_DISPATCHER", networks.token("county-disp")},
                     {"PUENTE_COUNTY_OPERATOR", networks.token("county-op")},
                     {"PUENTE_COUNTY_OBSERVER", networks.token("county-obs")}});
}

// Media from the observer page (docs/evidence.md): an upload that resumes after a cut.
TEST_F(Browser, TheObserverPageAttachesAPhotoThatResumesAfterACut) {
  TestNetwork net;
  auto a = net.start_node("a");
  run_browser_tests("attachments.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE_A", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")}});
}

// The people on scene on the observer page (docs/on-scene.md): check-ins every 6 seconds.
TEST_F(Browser, TheObserverPageAsksAreYouOkAndCallsForHelpSilently) {
  TestNetwork net("[policy]\nescalation = []\ncheckin_minutes = 0.1\ncheckin_grace_minutes = 1\n");
  auto a = net.start_node("a");
  run_browser_tests("on_scene.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE_A", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")},
                     {"PUENTE_OBSERVER_ID", "obs-bh"}});
}

// Issue 20's intake page: who a report reached, the input an operator types on a bad night, the
// server's refusals in the page's language, the caller's number (the network keeps a caller key).
TEST_F(Browser, TheIntakePageTellsWhoWasReachedAndReadsWhatTheOperatorMeant) {
  TestNetwork net("[privacy]\ncaller_key_file = \"caller.key\"\n");
  std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
  auto a = net.start_node("a");
  run_browser_tests("intake.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")}});
}

// Issue 20's address search on intake: a node whose geocoder is the tests' own
// (geocoder_server.mjs, the Nominatim search API; 1.5 s to answer) and a node without one.
TEST_F(Browser, TheIntakePageFindsAnAddressThroughTheNetworksGeocoder) {
  LoopbackGeocoder geocoder;
  TestNetwork net("", "", "", "",
                  "geocoder_url = \"" + geocoder.origin() + "\"\ngeocoder_timeout_ms = 1500\n");
  TestNetwork none;
  auto a = net.start_node("a");
  auto plain = none.start_node("none");
  run_browser_tests("address_search.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_NONE_NODE", url(*plain)},
                     {"PUENTE_NONE_OPERATOR", none.token("op")}});
}

// Issue 20's observer page: rings, "seen", the card's details and languages, STAND DOWN's
// "I'm out, safe", an off-shift observer, a reconnect that reloads.
TEST_F(Browser, TheObserverPageRingsForNewsAndSaysWhereTheObserverStands) {
  TestNetwork net;
  auto a = net.start_node("a");
  run_browser_tests("observer_page.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")},
                     {"PUENTE_TOKEN_OFF_SHIFT", net.token("obs-off")}});
}

// Issue 20's access checks: axe-core on every page in both languages, markers by keyboard,
// the focus ring on the header, focus kept through a redraw.
TEST_F(Browser, EveryPageIsUsableByKeyboardAndPassesAxe) {
  TestNetwork net;
  auto a = net.start_node("a");
  run_browser_tests("access.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")}});
}

// The dispatcher's board (issue 20): who was reached, the attention cues, the confirmations and
// reopen, the update's location, the 72-hour history. The first escalation step comes 4 s after
// a confirmation (the next an hour later), check-ins every 6 s with 6 s of grace.
TEST_F(Browser, TheBoardTellsWhoWasReachedAndCallsTheDispatchersAttention) {
  TestNetwork net(
      "[policy]\ncheckin_minutes = 0.1\ncheckin_grace_minutes = 0.1\n"
      "[[policy.escalation]]\ndeadline_seconds = 4\naudience = \"adjacent\"\n"
      "[[policy.escalation]]\ndeadline_seconds = 3600\naudience = \"dispatchers\"\n");
  auto a = net.start_node("a");
  run_browser_tests("board.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")},
                     {"PUENTE_OBSERVER_ID", "obs-bh"}});
}

// Planted reports (issue 19 item 4): one new unverified incident per neighborhood an hour, so
// the second report is held; the board shows it with its source and approves it.
TEST_F(Browser, TheBoardShowsHeldReportsTheirSourcesAndApprovesThem) {
  TestNetwork net("[policy]\nunverified_cap = 1\nunverified_window_seconds = 3600\n");
  auto a = net.start_node("a");
  run_browser_tests("board_approvals.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*a)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")}});
}

TEST_F(Browser, MapTilesByConfigAreDrawnUnderTheNeighborhoods) {
  // The tile server a network runs: on a free port it chooses and writes down.
  TempDir scratch("puente-tile-server-");
  const auto port_file = scratch.path() / "port";
  const auto server_log = scratch.path() / "tile_server.log";
  ChildProcess tile_server(
      "node", {std::string(PUENTE_BROWSER_DIR) + "/tile_server.mjs", port_file.string()},
      server_log);
  std::string port;  // "41234\n" once written whole
  ASSERT_TRUE(wait_until([&] { return (port = file_text(port_file)).ends_with('\n'); }))
      << "tile_server.mjs did not start: " << file_text(server_log);
  const std::string tile_server_origin = "http://127.0.0.1:" + port.substr(0, port.size() - 1);

  // tiles.test.mjs writes the tiles into own.dir()/tiles; its OWN_* and REMOTE_* values match.
  TestNetwork own(
      "[web]\ntiles_dir = \"tiles\"\ntiles_max_zoom = 11\n"
      "tiles_attribution = \"Puente test tiles\"\n");
  fs::create_directories(own.dir() / "tiles");
  TestNetwork remote("[web]\ntiles_url = \"" + tile_server_origin + "/{z}/{x}/{y}.png\"\n" +
                     "tiles_max_zoom = 14\ntiles_attribution = \"Test tile server\"\n");
  TestNetwork none;
  auto own_node = own.start_node("own");
  auto remote_node = remote.start_node("remote");
  auto none_node = none.start_node("none");
  run_browser_tests("tiles.test.mjs", own.dir() / "browser.log",
                    {{"PUENTE_TILES_OWN_NODE", url(*own_node)},
                     {"PUENTE_TILES_OWN_DISPATCHER", own.token("disp")},
                     {"PUENTE_TILES_OWN_OPERATOR", own.token("op")},
                     {"PUENTE_TILES_OWN_DIR", (own.dir() / "tiles").string()},
                     {"PUENTE_TILES_REMOTE_NODE", url(*remote_node)},
                     {"PUENTE_TILES_REMOTE_DISPATCHER", remote.token("disp")},
                     {"PUENTE_TILES_REMOTE_OPERATOR", remote.token("op")},
                     {"PUENTE_TILE_SERVER", tile_server_origin},
                     {"PUENTE_TILES_NONE_NODE", url(*none_node)},
                     {"PUENTE_TILES_NONE_DISPATCHER", none.token("disp")},
                     {"PUENTE_TILES_NONE_OPERATOR", none.token("op")}});
}

// The observer app: installable (manifest, icons, service worker, as Chromium judges them), the
// iPhone guidance, a network without Web Push saying so, and the whole way of an alert to a
// closed page: the page hands the server a subscription of the tests' push service (headless
// Chromium has no push service of its own), the server encrypts and sends the push there, the
// test reads it back decrypted and delivers it to the page's service worker, which shows it;
// "On my way" on it acks on the server.
TEST_F(Browser, TheObserverAppGetsAlertsByWebPushInChromium) {
  if (auto missing = LoopbackPushService::missing_tools(); !missing.empty()) {
    if (std::getenv("PUENTE_REQUIRE_BROWSER"))
      FAIL() << "the Web Push browser test needs:" << missing;
    GTEST_SKIP() << "the Web Push browser test needs:" << missing;
  }
  LoopbackPushService service;
  const auto phone = service.subscribe();
  TempDir keys("puente-vapid-");
  const auto key_file = keys.path() / "vapid.pem";
  push::VapidKey::generate().write_pem_file(key_file);
  TestNetwork net("[push]\nvapid_key_file = \"" + key_file.string() +
                  "\"\nsubject = \"mailto:tests@example.org\"\nallowed_hosts = [\"localhost\"]\n"
                  "allow_private_addresses = true\nca_file = \"" +
                  service.certificate().string() + "\"\n");
  TestNetwork without_push;
  auto node = net.start_node("a");
  auto plain = without_push.start_node("plain");
  run_browser_tests("observer_app.test.mjs", net.dir() / "browser.log",
                    {{"PUENTE_NODE", url(*node)},
                     {"PUENTE_TOKEN_OPERATOR", net.token("op")},
                     {"PUENTE_TOKEN_DISPATCHER", net.token("disp")},
                     {"PUENTE_TOKEN_OBSERVER", net.token("obs-bh")},
                     {"PUENTE_OBSERVER_ID", "obs-bh"},
                     {"PUENTE_PUSH_ADMIN", service.admin_origin()},
                     {"PUENTE_PUSH_ENDPOINT", phone.endpoint},
                     {"PUENTE_PUSH_P256DH", phone.p256dh},
                     {"PUENTE_PUSH_AUTH", phone.auth},
                     {"PUENTE_PLAIN_NODE", url(*plain)},
                     {"PUENTE_PLAIN_OBSERVER", without_push.token("obs-bh")}});
}

}  // namespace
}  // namespace puente::test
