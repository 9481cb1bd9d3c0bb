// RevocationFile: revocations kept where Redis cannot undo them (issue 15 item 6) are read back
// as written, by the owner alone, and a torn or foreign line costs only itself.
#include "app/access/revocation_file.hpp"

#include "file_text.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace puente::app {
namespace {

using namespace std::chrono;

core::TokenRecord revoked(std::string id, std::string secret, std::int64_t at_ms) {
  return {std::move(id), "maria", core::sha256_hex(secret), std::nullopt,
          core::TokenRecord::TimePoint(milliseconds(at_ms))};
}

TEST(RevocationFile, WhatIsAppendedIsReadBackByTheOwnerAlone) {
  puente::test::TempDir dir;
  RevocationFile file(dir.path() / "revoked-tokens");
  EXPECT_TRUE(file.read().empty()) << "no file yet: nothing revoked";
  ASSERT_TRUE(file.append(revoked("roster-maria", "roster-secret", 1'700'000'000'123)));
  ASSERT_TRUE(file.append(revoked("tok-1", "phone", 1'700'000'000'456)));

  auto kept = RevocationFile(file.path()).read();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].id, "roster-maria");
  EXPECT_EQ(kept[0].responder_id, "maria");
  EXPECT_EQ(kept[0].sha256, core::sha256_hex("roster-secret"));
  EXPECT_EQ(kept[0].revoked_at, core::TokenRecord::TimePoint(milliseconds(1'700'000'000'123)));
  EXPECT_EQ(kept[1].id, "tok-1");
  EXPECT_EQ(std::filesystem::status(file.path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(puente::test::file_text(file.path()).find("roster-secret"), std::string::npos);
}

TEST(RevocationFile, ATornOrForeignLineIsSkippedAndTheRestKept) {
  puente::test::TempDir dir;
  RevocationFile file(dir.path() / "revoked-tokens");
  ASSERT_TRUE(file.append(revoked("tok-1", "phone", 1'700'000'000'000)));
  {
    std::ofstream out(file.path(), std::ios::app);
    out << "# a comment\n\ntok-2 not-a-hash 1700000000000 maria\n"
        << "tok-3 " << core::sha256_hex("x") << " soon maria\n"
        << "tok-4 " << core::sha256_hex("y");  // cut short by a crash
  }
  ASSERT_TRUE(file.append(revoked("tok-5", "z", 1'700'000'000'000)));
  auto kept = file.read();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].id, "tok-1");
  EXPECT_EQ(kept[1].id, "tok-5") << "a line appended after a torn one";
}

TEST(RevocationFile, ARecordThatCannotBeWrittenDownIsRefused) {
  puente::test::TempDir dir;
  RevocationFile file(dir.path() / "revoked-tokens");
  auto unrevoked = revoked("tok-1", "phone", 1);
  unrevoked.revoked_at.reset();
  EXPECT_FALSE(file.append(unrevoked));
  EXPECT_FALSE(file.append(revoked("tok 1", "phone", 1))) << "a space would split the line";
  EXPECT_TRUE(file.read().empty());
  EXPECT_FALSE(RevocationFile(dir.path() / "no-such-dir" / "revoked-tokens")
                   .append(revoked("tok-1", "phone", 1)));
}

}  // namespace
}  // namespace puente::app
