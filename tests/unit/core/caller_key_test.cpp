// The caller key: phone numbers normalized, hashed with HMAC-SHA256 under the key.

#include "core/caller_key.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace puente::core {
namespace {

TEST(CallerKey, PhoneNumbersAreReducedToTheirDigits) {
  EXPECT_EQ(normalized_phone("+1 (323) 555-0142"), "+13235550142");
  EXPECT_EQ(normalized_phone("323.555.0142"), "3235550142");
  EXPECT_EQ(normalized_phone(" +52 55 1234 5678 "), "+525512345678");
  EXPECT_FALSE(normalized_phone("call me"));
  EXPECT_FALSE(normalized_phone("555-01"));               // too short
  EXPECT_FALSE(normalized_phone("1234567890123456"));     // too long
  EXPECT_FALSE(normalized_phone("323 555 0142 ext 2"));   // words
  EXPECT_FALSE(normalized_phone("323+5550142"));          // a '+' inside
}

TEST(CallerKey, HmacSha256MatchesRfc4231) {
  // RFC 4231, test case 1.
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(CallerKey, TheSameNumberGivesTheSameHashUnderOneKeyOnly) {
  CallerKey one(std::string(32, 'a')), other(std::string(32, 'b'));
  auto number = *normalized_phone("+1 323 555 0142");
  EXPECT_EQ(one.hash(number), one.hash(*normalized_phone("+1 (323) 555-0142")));
  EXPECT_NE(one.hash(number), other.hash(number));
  EXPECT_EQ(one.hash(number).size(), 64u);
}

TEST(CallerKey, AShortOrMissingKeyFileIsRefused) {
  auto path = std::filesystem::temp_directory_path() / "puente-short.key";
  std::ofstream(path) << "too short";
  EXPECT_THROW(CallerKey::load(path.string()), std::runtime_error);
  std::filesystem::remove(path);
  EXPECT_THROW(CallerKey::load(path.string()), std::runtime_error);
}

}  // namespace
}  // namespace puente::core
