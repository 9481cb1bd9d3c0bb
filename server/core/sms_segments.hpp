#pragma once
// How long a text message is, in what a phone network bills: segments. A text that every
// character of fits the GSM 03.38 default alphabet goes as GSM-7 (7-bit septets); one character
// outside it (Spanish á, í, ó, ú, an emoji, a curly quote) sends the whole text as UCS-2
// (16-bit units), and a segment then holds less than half as much:
//
//                      one segment   each segment of a longer text (6 bytes go to the UDH that
//                                    tells the phone how to join the parts)
//   GSM-7 (septets)        160            153
//   UCS-2 (16-bit units)    70             67
//
// GSM-7's extension table (| ^ € { } [ ] ~ \ and form feed) is reached through an escape, so
// each of those characters takes 2 septets. A character beyond the Basic Multilingual Plane
// (most emoji) takes 2 UCS-2 units, a surrogate pair. Neither an escape pair nor a surrogate
// pair is split between segments: a part that would end on half of one ends a unit short.
//
// fit_alert_sms() makes an alert's text fit: the body (what, where, when) is cut at a word so
// that the body, the incident's short code and the reply instructions fit `max_segments`.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

enum class SmsEncoding { gsm7, ucs2 };

std::string_view to_string(SmsEncoding encoding);  // "GSM-7", "UCS-2"

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::gsm7;
  std::size_t units = 0;     // septets (GSM-7) or 16-bit units (UCS-2) of the whole text
  std::size_t segments = 0;  // 0 for an empty text
};

inline constexpr std::size_t kGsm7SingleSegment = 160;
inline constexpr std::size_t kGsm7PartSegment = 153;
inline constexpr std::size_t kUcs2SingleSegment = 70;
inline constexpr std::size_t kUcs2PartSegment = 67;

// The length of `utf8`. Bytes that are not UTF-8 count as U+FFFD (so the text goes as UCS-2).
SmsLength sms_length(std::string_view utf8);

// Whether the code point is in the GSM-7 default alphabet (1 septet) or its extension table
// (2 septets): 0 if it is in neither.
std::size_t gsm7_septets(char32_t code_point);

// An alert's text as sent: "<body>\n<code> <reply>", e.g.
//   "RAID reported: Boyle Heights, 1st St & Soto, 9:40 PM. Can you verify?\n"
//   "K7Q Reply 1 on my way, 2 on scene, 3 can't"
struct FittedSms {
  std::string text;
  SmsLength length;
  bool cut = false;  // the body was shortened (it then ends in "...")
};

// The body whole if the text fits `max_segments`; else the body cut after its last word that
// lets it fit, with "..." in place of the rest (a single word longer than the room is cut
// between two characters). `code` and `reply` are kept whole. nullopt if not even the body's
// first character fits beside them: the templates are wrong, not the alert.
std::optional<FittedSms> fit_alert_sms(std::string_view body, std::string_view code,
                                       std::string_view reply, std::size_t max_segments = 2);

}  // namespace puente::core
