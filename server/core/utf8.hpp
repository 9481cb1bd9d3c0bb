#pragma once
// UTF-8 read and written one code point at a time, for the SMS code that counts characters
// (sms_segments), folds them (sms_reply) and converts between UTF-8 and UTF-16 (channels/sms).
// Invalid input is never an error here: each byte that does not start a well-formed sequence
// (an overlong form, a surrogate, a value past U+10FFFF, a cut-off sequence) reads as U+FFFD,
// the replacement character, and the reader moves on one byte.

#include <cstddef>
#include <string>
#include <string_view>

namespace puente::core {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

struct Utf8CodePoint {
  char32_t value = kReplacementCharacter;
  std::size_t bytes = 1;  // how many bytes of the input it took (at least 1)
};

// The code point that starts at `text[at]` (at < text.size()).
Utf8CodePoint next_code_point(std::string_view text, std::size_t at);

// `code_point` (at most U+10FFFF, not a surrogate; else U+FFFD) appended to `out` as UTF-8.
void append_utf8(std::string& out, char32_t code_point);

// `text` as UTF-16 code units in big-endian byte order (what SMS UCS-2 and Kannel's UTF-16BE
// carry), and back. from_utf16be: an odd last byte or a lone surrogate reads as U+FFFD.
std::string utf8_to_utf16be(std::string_view text);
std::string utf16be_to_utf8(std::string_view bytes);

}  // namespace puente::core
