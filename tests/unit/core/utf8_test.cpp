// UTF-8 read by code point (invalid bytes as U+FFFD) and converted to and from UTF-16BE.

#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace puente::core {
namespace {

TEST(Utf8, ReadsOneToFourByteCodePoints) {
  EXPECT_EQ(next_code_point("a", 0).value, U'a');
  EXPECT_EQ(next_code_point("í", 0).value, U'í');
  EXPECT_EQ(next_code_point("í", 0).bytes, 2u);
  EXPECT_EQ(next_code_point("€", 0).value, U'€');
  EXPECT_EQ(next_code_point("🚨", 0).value, U'🚨');
  EXPECT_EQ(next_code_point("🚨", 0).bytes, 4u);
}

TEST(Utf8, InvalidBytesReadAsReplacementOneByteAtATime) {
  for (const std::string bad : {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    const auto c = next_code_point(bad, 0);
    EXPECT_EQ(c.value, kReplacementCharacter);
    EXPECT_EQ(c.bytes, 1u);
  }
}

TEST(Utf8, Utf16BigEndianRoundTrips) {
  EXPECT_EQ(utf8_to_utf16be("Allí"), std::string("\0A\0l\0l\0\xed", 8));
  EXPECT_EQ(utf8_to_utf16be("🚨"), std::string("\xd8\x3d\xde\xa8", 4));  // U+1F6A8
  for (const char* text : {"", "Allí ¿qué?", "€ 🚨 ñ"})
    EXPECT_EQ(utf16be_to_utf8(utf8_to_utf16be(text)), text);
  EXPECT_EQ(utf16be_to_utf8(std::string("\xd8\x3d", 2)), "\xef\xbf\xbd");  // lone surrogate
  EXPECT_EQ(utf16be_to_utf8(std::string("\0A\0", 3)), "A\xef\xbf\xbd");    // odd byte
}

}  // namespace
}  // namespace puente::core
