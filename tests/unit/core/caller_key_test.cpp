// The caller key: phone numbers normalized, hashed with HMAC-SHA256 under the key.

#include "core/caller_key.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace puente::core {
namespace {

// Issue 15: "+1 (213) 555-0147" and "213-555-0147" hashed apart, so a repeat caller went unseen.
TEST(CallerKey, PhoneNumbersBecomeE164HoweverTheyWereTyped) {
  for (const char* typed :
       {"+1 (323) 555-0142", "323.555.0142", "323-555-0142", "(323) 555 0142", "1 323 555 0142",
        "13235550142", "011 1 323 555 0142", "00 1 323 555 0142", "+13235550142"})
    EXPECT_EQ(normalized_phone(typed), "+13235550142") << typed;
  EXPECT_EQ(normalized_phone(" +52 55 1234 5678 "), "+525512345678");
  EXPECT_EQ(normalized_phone("011 52 55 1234 5678"), "+525512345678");
  // A network elsewhere: its own country code, and its trunk '0' dropped.
  EXPECT_EQ(normalized_phone("055 1234 5678", "52"), "+525512345678");
  EXPECT_EQ(normalized_phone("0044 20 7946 0018", "52"), "+442079460018");
  EXPECT_FALSE(normalized_phone("call me"));
  EXPECT_FALSE(normalized_phone("555-0142"));            // no area code: which city?
  EXPECT_FALSE(normalized_phone("555-01"));              // too short
  EXPECT_FALSE(normalized_phone("+1234567890123456"));   // over E.164's 15 digits
  EXPECT_FALSE(normalized_phone("23 555 0142 99"));      // eleven digits, not a country-1 number
  EXPECT_FALSE(normalized_phone("323 555 0142 ext 2"));  // words
  EXPECT_FALSE(normalized_phone("323+5550142"));         // a '+' inside
  EXPECT_FALSE(normalized_phone("++13235550142"));
  EXPECT_FALSE(normalized_phone("+0 323 555 0142"));  // no country code starts with 0
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
