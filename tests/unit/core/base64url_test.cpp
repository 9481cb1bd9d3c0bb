// Base64url without padding: RFC 4648's test vectors, and what decoding refuses.
#include "core/base64url.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(Base64url, Rfc4648VectorsWithoutPadding) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : cases) {
    EXPECT_EQ(base64url_encode(bytes), text);
    EXPECT_EQ(base64url_decode(text), bytes);
  }
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), "\xfb\xff\xbf");
}

TEST(Base64url, RefusesPaddingForeignCharactersImpossibleLengthsAndStrayBits) {
  for (const char* bad : {"Zg==", "Zm9v+A", "Zm9v/A", "Zm 9v", "Z", "Zm9vY", "Zh", "Zm9"})
    EXPECT_EQ(base64url_decode(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace puente::core
