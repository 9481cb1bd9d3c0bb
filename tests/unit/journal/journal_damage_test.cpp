// A crash mid-append, a flipped bit, a file of noise: open keeps the sound records before the
// damage, truncates the rest with a warning naming the byte offset, and appending carries on.

#include "store/journal.hpp"

#include "scratch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <random>
#include <system_error>

namespace puente::store {
namespace {

namespace fs = std::filesystem;
using test::payloads_of;
using test::sequences_of;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::size_t header_bytes = 20;  // see the format in journal.hpp

// Three records; returns the file offset where each one ends.
std::vector<std::uint64_t> write_three(const fs::path& path) {
  auto journal = Journal::open(path);
  std::vector<std::uint64_t> ends;
  for (const char* payload : {"alpha report", "bravo ack", "charlie report, the last one"}) {
    journal->append(payload);
    ends.push_back(fs::file_size(path));
  }
  return ends;
}

TEST(JournalDamage, ATornLastRecordIsDroppedAtEveryCutAndAppendingResumes) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  const auto ends = write_three(path);
  const std::string whole = test::read_bytes(path);
  ASSERT_EQ(whole.size(), ends[2]);

  for (std::uint64_t cut = ends[1] + 1; cut < ends[2]; ++cut) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut));
    test::write_bytes(path, whole.substr(0, cut));
    {
      test::CapturedLog log;
      auto journal = Journal::open(path);
      EXPECT_THAT(payloads_of(journal->pending()), ElementsAre("alpha report", "bravo ack"));
      EXPECT_EQ(fs::file_size(path), ends[1]);
      EXPECT_THAT(log.text(), HasSubstr("at byte " + std::to_string(ends[1])));
      EXPECT_GT(journal->append("delta report"), 2u);
    }
    auto journal = Journal::open(path);
    const auto entries = journal->pending();
    EXPECT_THAT(payloads_of(entries), ElementsAre("alpha report", "bravo ack", "delta report"));
    EXPECT_THAT(sequences_of(entries), ElementsAre(1, 2, 3));
  }
}

TEST(JournalDamage, ACorruptPayloadDropsThatRecordAndEverythingAfter) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  const auto ends = write_three(path);
  std::string bytes = test::read_bytes(path);
  bytes[ends[0] + header_bytes + 3] ^= 0x01;
  test::write_bytes(path, bytes);

  test::CapturedLog log;
  auto journal = Journal::open(path);
  EXPECT_THAT(payloads_of(journal->pending()), ElementsAre("alpha report"));
  EXPECT_EQ(fs::file_size(path), ends[0]);
  EXPECT_THAT(log.text(), HasSubstr("CRC mismatch at byte " + std::to_string(ends[0])));
  EXPECT_EQ(journal->append("bravo again"), 2u);
}

TEST(JournalDamage, ALengthOverTheLimitIsDamageNotAnAllocation) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  const auto ends = write_three(path);
  std::string bytes = test::read_bytes(path);
  for (std::size_t i = 4; i < 8; ++i) bytes[ends[0] + i] = '\xFF';  // length: 4 GiB - 1
  test::write_bytes(path, bytes);

  test::CapturedLog log;
  auto journal = Journal::open(path);
  EXPECT_THAT(payloads_of(journal->pending()), ElementsAre("alpha report"));
  EXPECT_THAT(log.text(), HasSubstr("limit at byte " + std::to_string(ends[0])));
}

TEST(JournalDamage, RandomBytesOpenAsAnEmptyJournal) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t size : {1u, 7u, 20u, 21u, 4096u, 65536u}) {
    SCOPED_TRACE(std::to_string(size) + " random bytes");
    std::string noise(size, '\0');
    for (char& c : noise) c = static_cast<char>(byte(random));
    test::write_bytes(path, noise);

    test::CapturedLog log;
    auto journal = Journal::open(path);
    EXPECT_EQ(journal->size(), 0u);
    EXPECT_EQ(fs::file_size(path), 0u);
    EXPECT_THAT(log.text(), HasSubstr("at byte 0"));
  }

  auto journal = Journal::open(path);
  EXPECT_EQ(journal->append("after the noise"), 1u);
  journal.reset();
  journal = Journal::open(path);
  EXPECT_THAT(payloads_of(journal->pending()), ElementsAre("after the noise"));
}

TEST(JournalDamage, ARecordFromANewerFormatIsRefusedNotTruncated) {
  test::ScratchDir dir;
  const fs::path path = dir.path() / "outbox.journal";
  write_three(path);
  std::string bytes = test::read_bytes(path);
  bytes[2] = 2;  // the version byte of the first record
  test::write_bytes(path, bytes);

  try {
    Journal::open(path);
    FAIL() << "opened a journal written by a newer format";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), ENOTSUP);
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
  }
  EXPECT_EQ(test::read_bytes(path), bytes);
}

// Found by fuzzing: an acknowledgement (sound by its CRC) of the last possible number made the
// next append wrap to sequence 0, below it, so that the record was never replayed.
// Found again: an acknowledgement of exactly 2^63 made the next append 2^63 + 1, which the next
// open dropped as damage.
TEST(JournalDamage, AnAcknowledgementAtTheEndOfTheNumbersIsDamage) {
  for (std::uint64_t end : {~std::uint64_t{0}, std::uint64_t{1} << 63}) {
    test::ScratchDir dir;
    const fs::path path = dir.path() / "outbox.journal";
    write_three(path);
    std::string ack = std::string("PA\x01\x00", 4);  // see journal.hpp
    for (int i = 0; i < 8; ++i) ack.push_back(static_cast<char>(end >> (8 * i)));
    const std::uint32_t crc = crc32c(ack);
    for (int i = 0; i < 4; ++i) ack.push_back(static_cast<char>(crc >> (8 * i)));
    test::write_bytes(path.string() + ".ack", ack);

    test::CapturedLog log;
    auto journal = Journal::open(path);
    EXPECT_THAT(log.text(), HasSubstr("damaged; replaying every record")) << end;
    EXPECT_EQ(journal->size(), 3u);
    EXPECT_EQ(journal->append("delta report"), 4u);
    journal.reset();
    EXPECT_EQ(Journal::open(path)->size(), 4u) << end;
  }
}

}  // namespace
}  // namespace puente::store
