// Audit anchors outside Redis: a node signs the log's head every [audit] anchor_interval_seconds
// and at shutdown, into <state_dir>/audit-anchors; `puente audit verify --anchors` passes on the
// log as written and, once someone with Redis access rewrites the chain consistently (every hash
// recomputed, so the chain alone still holds), names the first anchor the log no longer extends.
#include "test_network.hpp"

#include "core/audit_anchor.hpp"
#include "core/audit_chain.hpp"
#include "file_text.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct CliRun {
  ProcessExit exit;
  std::string output;  // stdout and stderr together
};

CliRun run_cli(TestNetwork& net, PuentedNode& node, const std::vector<std::string>& args) {
  static int runs = 0;
  auto log = net.dir() / ("cli-anchors-" + std::to_string(++runs) + ".log");
  ChildProcess process(PUENTE_CLI_PATH, args, log, cli_environment(node, net.token("admin")));
  auto exit = process.wait_for_exit(60s);
  EXPECT_TRUE(exit) << "the CLI did not finish";
  return {exit.value_or(ProcessExit{}), file_text(log)};
}

// The sequences of the anchor files in `dir`, lowest first.
std::vector<std::uint64_t> anchored_sequences(const fs::path& dir) {
  std::vector<std::uint64_t> sequences;
  if (!fs::is_directory(dir)) return sequences;
  for (const auto& item : fs::directory_iterator(dir)) {
    std::string error;
    auto anchor = core::parse_audit_anchor(file_text(item.path()), error);
    if (anchor) sequences.push_back(anchor->sequence);
  }
  std::sort(sequences.begin(), sequences.end());
  return sequences;
}

// A RESP command (binary-safe), without its last CRLF: TestNetwork::redis_line adds it.
std::string resp_command(const std::vector<std::string>& words) {
  std::string command = "*" + std::to_string(words.size()) + "\r\n";
  for (const auto& word : words)
    command += "$" + std::to_string(word.size()) + "\r\n" + word + "\r\n";
  return command.substr(0, command.size() - 2);
}

TEST(AuditAnchors, VerifyNamesTheFirstAnchorAConsistentRewriteInRedisBreaks) {
  TestNetwork net("[audit]\nanchor_interval_seconds = 1\n");
  auto a = net.start_node("a");
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                      R"({"responderId":"vol-bh"})")
                  .status,
              201);
  // roster.changed and three token.issue: the head is #4 once all are in, and anchored a
  // second later.
  const auto anchors = net.dir() / "state" / "audit-anchors";
  ASSERT_TRUE(wait_until(
      [&] {
        auto sequences = anchored_sequences(anchors);
        return !sequences.empty() && sequences.back() == 4;
      },
      15s))
      << "no anchor of #4 in " << anchors;
  EXPECT_NE(file_text(a->log_path()).find("audit anchor: puente audit anchor 1;node a;"),
            std::string::npos)
      << "the anchor is not in the node's log";

  const auto key = net.dir() / "network.pub";
  std::ofstream(key) << a->call(http::verb::get, "/v1/evidence/key", net.token("admin")).body;
  auto clean =
      run_cli(net, *a, {"audit", "verify", "--anchors", anchors.string(), "--key", key.string()});
  EXPECT_EQ(clean.exit.code, 0) << clean.output;
  EXPECT_NE(clean.output.find("extends all"), std::string::npos) << clean.output;

  // Someone with Redis access rewrites entry #2 (whom the first token was for) and every entry
  // after it, recomputing each hash, and moves the head along: the chain alone still holds.
  auto log = a->audit_log(net.token("admin"));
  ASSERT_GE(log.entries_size(), 4);
  std::vector<std::string> script{
      "EVAL",
      "redis.call('DEL', KEYS[1]) "
      "for i = 1, #ARGV - 1, 2 do redis.call('XADD', KEYS[1], ARGV[i], 'pb', ARGV[i + 1]) end "
      "redis.call('SET', KEYS[2], ARGV[#ARGV]) return 1",
      "2", "puente:audit", "puente:audit:head"};
  std::string previous_hash;
  std::string head;
  for (auto entry : log.entries()) {
    if (entry.sequence() == 2) entry.set_detail("for att-bh");
    entry.set_previous_hash(previous_hash);
    entry.set_hash(core::audit_hash(entry));
    previous_hash = entry.hash();
    head = std::to_string(entry.sequence()) + " " + entry.hash();
    script.push_back(std::to_string(entry.sequence()) + "-1");
    script.push_back(entry.SerializeAsString());
  }
  script.push_back(head);
  ASSERT_EQ(net.redis_line(resp_command(script)), ":1");

  auto chain_only = run_cli(net, *a, {"audit", "verify"});
  EXPECT_EQ(chain_only.exit.code, 0)
      << "the rewrite is consistent, the chain alone cannot show it: " << chain_only.output;
  auto rewritten =
      run_cli(net, *a, {"audit", "verify", "--anchors", anchors.string(), "--key", key.string()});
  EXPECT_EQ(rewritten.exit.code, 1) << rewritten.output;
  // The first anchor at or after #2 is the first the rewritten log breaks.
  std::uint64_t first_broken = 0;
  for (auto sequence : anchored_sequences(anchors))
    if (sequence >= 2 && first_broken == 0) first_broken = sequence;
  EXPECT_NE(rewritten.output.find(
                "does not extend anchor " +
                (anchors / ("anchor-a-" + std::to_string(first_broken) + ".txt")).string()),
            std::string::npos)
      << rewritten.output;
}

TEST(AuditAnchors, ANodeAnchorsTheHeadWhenItShutsDown) {
  TestNetwork net("[audit]\nanchor_interval_seconds = 3600\n");
  auto a = net.start_node("a");
  ASSERT_EQ(a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                    R"({"responderId":"vol-bh"})")
                .status,
            201);
  ASSERT_TRUE(wait_until([&] { return a->audit_log(net.token("admin")).entries_size() == 2; }));
  const auto anchors = net.dir() / "state" / "audit-anchors";
  EXPECT_TRUE(anchored_sequences(anchors).empty()) << "anchored before the hour";
  a.reset();  // SIGTERM
  EXPECT_EQ(anchored_sequences(anchors), std::vector<std::uint64_t>{2});

  // A forged anchor (right form, wrong key) is refused, not taken for proof.
  auto b = net.start_node("b");
  std::string error;
  auto anchor = core::parse_audit_anchor(file_text(anchors / "anchor-a-2.txt"), error);
  ASSERT_TRUE(anchor) << error;
  anchor->signature[0] = static_cast<char>(anchor->signature[0] ^ 1);
  std::ofstream(anchors / "anchor-x-2.txt") << anchor->file_text();
  auto forged = run_cli(net, *b, {"audit", "verify", "--anchors", anchors.string()});
  EXPECT_EQ(forged.exit.code, 1) << forged.output;
  EXPECT_NE(forged.output.find("is not signed by the network's key"), std::string::npos)
      << forged.output;
}

}  // namespace
}  // namespace puente::test
