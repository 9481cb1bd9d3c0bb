// Appends from several threads at once: none lost, none interleaved, numbers unique.

#include "store/journal.hpp"

#include "scratch.hpp"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace puente::store {
namespace {

namespace fs = std::filesystem;

TEST(JournalThreads, ConcurrentAppendsAreAllKeptWithUniqueIncreasingSequences) {
  constexpr int threads = 4;
  constexpr int appends_each = 200;
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);

  std::vector<std::vector<std::uint64_t>> returned(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < appends_each; ++i) {
        returned[t].push_back(journal->append("t" + std::to_string(t) + "-" + std::to_string(i)));
      }
    });
  }
  for (auto& worker : workers) worker.join();
  journal.reset();

  journal = Journal::open(path);
  const auto entries = journal->pending();
  ASSERT_EQ(entries.size(), static_cast<std::size_t>(threads * appends_each));
  std::map<std::string, std::uint64_t> sequence_of;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(entries[i - 1].sequence, entries[i].sequence);
    }
    sequence_of[entries[i].payload] = entries[i].sequence;
  }
  ASSERT_EQ(sequence_of.size(), entries.size());  // every payload once
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < appends_each; ++i) {
      const auto payload = "t" + std::to_string(t) + "-" + std::to_string(i);
      ASSERT_EQ(sequence_of.count(payload), 1u) << payload;
      EXPECT_EQ(sequence_of[payload], returned[t][i]) << payload;
      if (i > 0) {
        EXPECT_LT(returned[t][i - 1], returned[t][i]) << payload;
      }
    }
  }
}

}  // namespace
}  // namespace puente::store
