// Where a node writes (issue 24 item 3): its journal goes to its state folder ([node] state_dir,
// else systemd's $STATE_DIRECTORY), and nothing at all into the folder of its config, which
// systemd keeps read-only (ProtectSystem=strict) and a clone keeps in git.
#include "redis_server.hpp"
#include "standalone_node.hpp"
#include "test_network.hpp"

#include <gtest/gtest.h>

#include <set>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// Every file and folder under `root`, with its size: what a node may not change.
std::set<std::string> listing(const std::filesystem::path& root) {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
    files.insert(std::filesystem::relative(entry.path(), root).string() + " " +
                 (entry.is_regular_file() ? std::to_string(entry.file_size()) : "dir"));
  return files;
}

// Posts a report with Redis down: answered 202 queued, so it is in the journal.
void journal_a_report(StandaloneNode& node) {
  auto answer = node.http().request(http::verb::post, "/v1/reports",
                                    report_json(34.0335, -118.2110), node.operator_token());
  ASSERT_EQ(answer.status, 202) << answer.body;
}

TEST(NodeStateDir, ANodeJournalsInItsStateDirAndWritesNothingBesideItsConfig) {
  RedisServer redis;
  redis.stop();  // the node journals what it takes
  StandaloneNode node(redis.port(), "state_dir = \"../state\"");
  const auto before = listing(node.config_dir());
  node.start();
  journal_a_report(node);
  node.process().terminate();

  const auto journal = node.dir() / "state" / "a.journal";
  ASSERT_TRUE(std::filesystem::exists(journal)) << "no journal in the state folder";
  EXPECT_GT(std::filesystem::file_size(journal), 0u);
  EXPECT_EQ(listing(node.config_dir()), before) << "the node wrote beside its config";
}

TEST(NodeStateDir, WithoutStateDirTheNodeWritesWhereSystemdSaysAndARelativeJournalGoesThere) {
  RedisServer redis;
  redis.stop();
  StandaloneNode node(redis.port(), "journal = \"journals/mine.journal\"");
  const auto before = listing(node.config_dir());
  const auto state = node.dir() / "var-lib-puente-la";  // systemd makes it; the node may too
  node.start({{"STATE_DIRECTORY", state.string()}});
  journal_a_report(node);
  node.process().terminate();

  EXPECT_TRUE(std::filesystem::exists(state / "journals" / "mine.journal"))
      << "the journal is not under $STATE_DIRECTORY";
  EXPECT_EQ(listing(node.config_dir()), before) << "the node wrote beside its config";
}

}  // namespace
}  // namespace puente::test
