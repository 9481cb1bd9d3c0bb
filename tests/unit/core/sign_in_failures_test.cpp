// Failed sign-ins summed per address for the audit log (issue 15, item 8): one entry per
// address with the count and why, the busiest first, at most max_addresses of them and one
// summing the rest, and the memory a flood from many addresses takes capped the same way.
#include "core/sign_in_failures.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;

TEST(SignInFailureTally, OneEntryPerAddressNamingTheCountAndWhy) {
  SignInFailureTally tally;
  for (int i = 0; i < 200; ++i) tally.add("10.0.0.1", "socket unknown", "");
  tally.add("10.0.0.1", "http revoked", "tok-1a2b");
  tally.add("10.0.0.1", "http revoked", "tok-1a2b");
  tally.add("10.0.0.2", "http expired", "tok-9");
  auto entries = tally.close_window();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].address, "10.0.0.1");
  EXPECT_EQ(entries[0].count, 202u);
  EXPECT_EQ(entries[0].describe(60s),
            "202 failed sign-ins in 60 s: http revoked 2, socket unknown 200; tokens tok-1a2b");
  EXPECT_EQ(entries[1].address, "10.0.0.2");
  EXPECT_EQ(entries[1].describe(60s), "1 failed sign-in in 60 s: http expired 1; tokens tok-9");
  EXPECT_TRUE(tally.empty());
  EXPECT_TRUE(tally.close_window().empty()) << "a closed window starts the next one empty";
}

TEST(SignInFailureTally, AddressesPastTheCapAreSummedInOneEntry) {
  SignInFailureTally tally(10);
  // Address i fails i + 1 times: the ten busiest are 49 down to 40.
  for (int address = 0; address < 50; ++address)
    for (int i = 0; i <= address; ++i)
      tally.add("10.0.0." + std::to_string(address), "socket unknown", "");
  auto entries = tally.close_window();
  ASSERT_EQ(entries.size(), 11u) << "10 addresses and one sum, however many addresses failed";
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(entries[i].address, "10.0.0." + std::to_string(49 - i));
    EXPECT_EQ(entries[i].count, 50u - i);
  }
  const auto& rest = entries[10];
  EXPECT_EQ(rest.address, "");
  EXPECT_EQ(rest.addresses, 40u);
  EXPECT_EQ(rest.count, 40u * 41u / 2u);
  EXPECT_EQ(rest.describe(60s),
            "820 failed sign-ins from 40 other addresses in 60 s: socket unknown 820");
}

TEST(SignInFailureTally, AddressesPastWhatIsTrackedAreOnlyCountedAndTokenIdsAreFew) {
  SignInFailureTally tally(10, 3);
  for (int address = 0; address < 100; ++address)
    tally.add("10.0.1." + std::to_string(address), "http unknown", "");
  for (int i = 0; i < 20; ++i) tally.add("10.0.1.0", "http revoked", "tok-" + std::to_string(i));
  auto entries = tally.close_window();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].address, "10.0.1.0");
  EXPECT_EQ(entries[0].count, 21u);
  EXPECT_EQ(entries[0].token_ids.size(), SignInFailureTally::max_token_ids);
  EXPECT_EQ(entries[3].count, 97u);
  EXPECT_TRUE(entries[3].untold);
  EXPECT_EQ(
      entries[3].describe(1s),
      "97 failed sign-ins from other addresses, too many to tell apart in 1 s: http unknown 97");
}

}  // namespace
}  // namespace puente::core
