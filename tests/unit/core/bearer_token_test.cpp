// Bearer tokens and their SHA-256, as `puente token`, roster.toml and issued tokens use them.

#include "core/bearer_token.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace puente::core {
namespace {

TEST(BearerToken, HashIsLowercaseHexSha256OfTheTokenText) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(BearerToken, NewTokenIs43Base64UrlCharacters) {
  auto token = new_bearer_token();
  ASSERT_EQ(token.size(), 43u);  // 32 bytes, 6 bits a character, no padding
  for (char c : token)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
}

TEST(BearerToken, NewTokensDiffer) {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(new_bearer_token());
  EXPECT_EQ(tokens.size(), 100u);
}

TEST(BearerToken, TrimDropsTheNewlineOfAFile) {
  EXPECT_EQ(trim_token("  s3cret\n"), "s3cret");
  EXPECT_EQ(trim_token("\r\n"), "");
  EXPECT_EQ(sha256_hex(trim_token("abc\n")), sha256_hex("abc"));
}

}  // namespace
}  // namespace puente::core
