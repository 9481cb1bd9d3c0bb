// Appending, replaying, acknowledging and compacting, across reopens.

#include "store/journal.hpp"

#include "scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace puente::store {
namespace {

namespace fs = std::filesystem;
using test::payloads_of;
using test::sequences_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Crc32c, MatchesTheCastagnoliCheckValueAndChains) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c("6789", crc32c("12345")), 0xE3069283u);
}

TEST(Journal, OpenCreatesTheFileAndItsDirectory) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "spool" / "node-1" / "outbox.journal";
  auto journal = Journal::open(path);
  EXPECT_TRUE(fs::is_regular_file(path));
  EXPECT_EQ(fs::file_size(path), 0u);
  EXPECT_EQ(journal->size(), 0u);
  EXPECT_TRUE(journal->pending().empty());
  EXPECT_EQ(journal->path(), path);
}

TEST(Journal, RecordsComeBackInOrderAfterReopenBinaryAndLargeOnesIntact) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  std::string large(100 * 1024, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 31 % 256);
  const std::vector<std::string> payloads = {"first", std::string("\0report\0with\0NULs\0", 18), "",
                                             large, "last"};

  auto journal = Journal::open(path);
  std::vector<std::uint64_t> appended;
  for (const auto& payload : payloads) appended.push_back(journal->append(payload));
  EXPECT_THAT(appended, ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(journal->size(), 5u);
  EXPECT_EQ(payloads_of(journal->pending()), payloads);

  journal.reset();
  journal = Journal::open(path);
  const auto entries = journal->pending();
  EXPECT_THAT(sequences_of(entries), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(payloads_of(entries), payloads);
  EXPECT_EQ(entries[1].payload.size(), 18u);
  EXPECT_EQ(entries[3].payload.size(), 100u * 1024);
}

TEST(Journal, PendingCanBeTakenInBatches) {
  test::ScratchDir dir;
  auto journal = Journal::open(dir.path() / "outbox.journal");
  for (const char* payload : {"a", "b", "c", "d"}) journal->append(payload);
  EXPECT_THAT(payloads_of(journal->pending(2)), ElementsAre("a", "b"));
  EXPECT_TRUE(journal->pending(0).empty());
  EXPECT_EQ(journal->pending(10).size(), 4u);
}

TEST(Journal, RefusesAPayloadOverTheLimitNamingThePathAndStaysUsable) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);
  try {
    journal->append(std::string(Journal::max_payload_bytes + 1, 'x'));
    FAIL() << "an oversized payload was accepted";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EMSGSIZE);
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
  EXPECT_EQ(journal->append(std::string(Journal::max_payload_bytes, 'y')), 1u);

  journal.reset();
  journal = Journal::open(path);
  const auto entries = journal->pending();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].payload, std::string(Journal::max_payload_bytes, 'y'));
}

TEST(Journal, AcknowledgedRecordsAreNotPendingAfterReopen) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);
  for (const char* payload : {"r1", "r2", "r3", "r4", "r5"}) journal->append(payload);
  journal->acknowledge(3);
  EXPECT_EQ(journal->size(), 2u);
  EXPECT_THAT(sequences_of(journal->pending()), ElementsAre(4, 5));

  journal.reset();
  journal = Journal::open(path);
  EXPECT_THAT(payloads_of(journal->pending()), ElementsAre("r4", "r5"));
  journal->acknowledge(2);  // below what is acknowledged already: nothing changes
  EXPECT_EQ(journal->size(), 2u);
  journal->acknowledge(5);
  EXPECT_EQ(journal->size(), 0u);

  journal.reset();
  journal = Journal::open(path);
  EXPECT_TRUE(journal->pending().empty());
}

TEST(Journal, SequenceNumbersKeepGrowingAcrossReopenAndCompact) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);
  for (const char* payload : {"a", "b", "c"}) journal->append(payload);

  journal.reset();
  journal = Journal::open(path);
  EXPECT_EQ(journal->append("d"), 4u);
  journal->acknowledge(4);
  EXPECT_TRUE(journal->compact());
  EXPECT_EQ(fs::file_size(path), 0u);

  journal.reset();
  journal = Journal::open(path);  // the file is empty: only the acknowledgement remembers 4
  EXPECT_EQ(journal->append("e"), 5u);
  const auto entries = journal->pending();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].sequence, 5u);
  EXPECT_EQ(entries[0].payload, "e");
}

TEST(Journal, CompactEmptiesTheFileOnlyOnceEverythingIsAcknowledged) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);
  journal->append("one");
  journal->append("two");
  const auto full_size = fs::file_size(path);
  journal->acknowledge(1);
  EXPECT_FALSE(journal->compact());
  EXPECT_EQ(fs::file_size(path), full_size);

  journal->acknowledge(2);
  EXPECT_TRUE(journal->compact());
  EXPECT_EQ(fs::file_size(path), 0u);
  EXPECT_TRUE(journal->compact());  // empty already

  EXPECT_EQ(journal->append("three"), 3u);
  journal.reset();
  journal = Journal::open(path);
  const auto entries = journal->pending();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].sequence, 3u);
  EXPECT_EQ(entries[0].payload, "three");
}

TEST(Journal, AcknowledgingASequenceNeverHandedOutIsRefused) {
  test::ScratchDir dir;
  auto journal = Journal::open(dir.path() / "outbox.journal");
  EXPECT_THROW(journal->acknowledge(1), std::invalid_argument);
  journal->append("a");
  EXPECT_THROW(journal->acknowledge(2), std::invalid_argument);
  EXPECT_EQ(journal->size(), 1u);
  journal->acknowledge(1);
  EXPECT_EQ(journal->size(), 0u);
}

TEST(Journal, AnInterruptedAcknowledgementKeepsTheOneBefore) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);
  for (const char* payload : {"a", "b", "c"}) journal->append(payload);
  journal->acknowledge(1);
  journal.reset();
  // A crash between writing the temporary file and renaming it over the real one.
  const fs::path temp = path.string() + ".ack.tmp";
  test::write_bytes(temp, "half-written");

  journal = Journal::open(path);
  EXPECT_THAT(sequences_of(journal->pending()), ElementsAre(2, 3));
  EXPECT_FALSE(fs::exists(temp));
}

TEST(Journal, ADamagedAcknowledgementFileReplaysEverythingWithAWarning) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto journal = Journal::open(path);
  journal->append("a");
  journal->append("b");
  journal->acknowledge(2);
  journal.reset();
  test::write_bytes(path.string() + ".ack", "not an acknowledgement");

  test::CapturedLog log;
  journal = Journal::open(path);
  EXPECT_THAT(sequences_of(journal->pending()), ElementsAre(1, 2));
  EXPECT_THAT(log.text(), HasSubstr("damaged"));
  EXPECT_EQ(journal->append("c"), 3u);
}

TEST(Journal, ASecondOpenOfTheSameFileIsRefusedWhileTheFirstIsOpen) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  auto first = Journal::open(path);
  try {
    Journal::open(path);
    FAIL() << "a second journal opened the same file";
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
  first->append("still mine");
  first.reset();
  auto second = Journal::open(path);
  EXPECT_EQ(second->size(), 1u);
}

TEST(Journal, OpenFailuresNameThePath) {
  test::ScratchDir dir;
  test::write_bytes(dir.path() / "not-a-directory", "x");
  const fs::path path = dir.path() / "not-a-directory" / "outbox.journal";
  try {
    Journal::open(path);
    FAIL() << "opened a journal under a regular file";
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
}

TEST(Journal, AFullDiskFailsTheAppendNamingThePath) {
  // /dev/full accepts the open and fails every write with ENOSPC, as a full disk would.
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no writable /dev/full";
  test::CapturedLog log;
  auto journal = Journal::open("/dev/full");
  try {
    journal->append("report");
    FAIL() << "an append to a full disk succeeded";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOSPC);
    EXPECT_THAT(e.what(), HasSubstr("/dev/full"));
  }
  EXPECT_EQ(journal->size(), 0u);
}

}  // namespace
}  // namespace puente::store
