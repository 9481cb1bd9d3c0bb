// The audit log loses nothing a node answered: entries recorded while Redis is stopped wait in
// the node's audit journal, a node killed with -9 still holds them, and once Redis and the node
// are back every entry is in the log, once, in one chain that holds.
#include "test_network.hpp"

#include "core/audit_chain.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

TEST(AuditJournal, EveryEntryOfAKilledNodeReachesTheLogOnceAfterRedisWasStopped) {
  TestNetwork net;
  auto a = net.start_node("a");

  // Token issues, each audited, answered while Redis is up; Redis stops right after the last,
  // while the node may still be appending their entries.
  constexpr int issues = 12;
  std::map<std::string, int> expected;  // "<action> <subject>" -> how many
  for (int i = 0; i < issues; ++i) {
    auto issued = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                          R"({"responderId":"vol-bh"})");
    ASSERT_EQ(issued.status, 201) << issued.body;
    v1::IssuedToken token;
    ASSERT_EQ(wire::from_json(issued.body, token), "");
    ++expected["token.issue " + token.id()];
  }
  net.redis().stop();

  // With Redis away, refused sign-ins are still recorded: one entry per window (a second in the
  // test network) for this address. Two windows, each closed before the next opens.
  constexpr int windows = 2;
  for (int i = 0; i < windows; ++i) {
    ASSERT_EQ(a->call(http::verb::get, "/v1/neighborhoods", "no-such-token").status, 401);
    std::this_thread::sleep_for(2500ms);
  }
  expected["sign_in.failed 127.0.0.1"] += windows;

  a->process().kill_now();
  a.reset();
  net.redis().restart();
  a = net.start_node("a");

  std::size_t accepted = 0;
  for (const auto& [what, count] : expected) accepted += static_cast<std::size_t>(count);
  std::map<std::string, int> found;
  v1::AuditLog log;
  wait_until([&] {
    log = a->audit_log(net.token("admin"));
    found.clear();
    for (const auto& entry : log.entries()) {
      auto what = entry.action() + " " + entry.subject();
      if (expected.contains(what)) ++found[what];
    }
    std::size_t in = 0;
    for (const auto& [what, count] : found) in += static_cast<std::size_t>(count);
    return in >= accepted;
  });
  int missing = 0, duplicated = 0, total = 0;
  for (const auto& [what, count] : expected) {
    const int seen = found.contains(what) ? found[what] : 0;
    total += seen;
    if (seen < count) missing += count - seen;
    if (seen > count) duplicated += seen - count;
  }
  std::printf("audit journal: accepted %zu, found %d, missing %d, duplicated %d\n", accepted, total,
              missing, duplicated);
  EXPECT_EQ(missing, 0) << log.DebugString();
  EXPECT_EQ(duplicated, 0) << log.DebugString();

  std::vector<v1::AuditEntry> entries(log.entries().begin(), log.entries().end());
  auto broken = core::first_break(entries);
  EXPECT_FALSE(broken) << "entry " << broken->index << ": " << broken->reason;
}

}  // namespace
}  // namespace puente::test
