// Segment counting for SMS (GSM 03.38 / 3GPP TS 23.038 default alphabet and its extension
// table, or UCS-2), and the cut that makes an alert's text fit (see sms_segments.hpp).

#include "core/sms_segments.hpp"

#include "core/utf8.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace puente::core {

namespace {

// The default alphabet's characters that are not printable ASCII, by code point (3GPP TS
// 23.038 §6.2.1); position 0x1B, the escape to the extension table, is none.
constexpr std::array<char32_t, 38> kGsm7NonAscii{
    0x00A3, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, 0x00D8, 0x00F8,
    0x00C5, 0x00E5, 0x0394, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8, 0x03A3,
    0x0398, 0x039E, 0x00C6, 0x00E6, 0x00DF, 0x00C9, 0x00A4, 0x00A1, 0x00C4, 0x00D6,
    0x00D1, 0x00DC, 0x00A7, 0x00BF, 0x00E4, 0x00F6, 0x00F1, 0x00FC};
constexpr char32_t kGsm7SmallAGrave = 0x00E0;  // à, the last of the table

// The extension table (§6.2.1.1): each is the escape and one septet.
constexpr std::array<char32_t, 10> kGsm7Extension{0x000C, '^', '{', '}', '\\',
                                                  '[',    '~', ']', '|', 0x20AC};

// Printable ASCII that the default alphabet lacks: the extension's, and the backtick (in
// neither table, so it forces UCS-2).
bool ascii_outside_default(char32_t c) {
  return c == '`' ||
         std::find(kGsm7Extension.begin(), kGsm7Extension.end(), c) != kGsm7Extension.end();
}

struct Unit {
  std::size_t gsm7;  // septets: 0 if not GSM-7
  std::size_t ucs2;  // 16-bit units
};

std::vector<Unit> units_of(std::string_view utf8) {
  std::vector<Unit> units;
  for (std::size_t at = 0; at < utf8.size();) {
    const auto c = next_code_point(utf8, at);
    at += c.bytes;
    units.push_back({gsm7_septets(c.value), c.value >= 0x10000 ? 2u : 1u});
  }
  return units;
}

// Parts of at most `part` units each, an escape or surrogate pair never split between two.
std::size_t parts(const std::vector<Unit>& units, bool gsm7, std::size_t single, std::size_t part) {
  std::size_t total = 0;
  for (const auto& u : units) total += gsm7 ? u.gsm7 : u.ucs2;
  if (total == 0) return 0;
  if (total <= single) return 1;
  std::size_t count = 1;
  std::size_t used = 0;
  for (const auto& u : units) {
    const std::size_t size = gsm7 ? u.gsm7 : u.ucs2;
    if (used + size > part) ++count, used = 0;
    used += size;
  }
  return count;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `body` up to `end` without the spaces and joining punctuation the cut leaves at its end.
std::string_view trimmed(std::string_view body, std::size_t end) {
  std::string_view kept = body.substr(0, end);
  while (!kept.empty() && (is_space(kept.back()) || kept.back() == ',' || kept.back() == ';' ||
                           kept.back() == ':' || kept.back() == '-'))
    kept.remove_suffix(1);
  return kept;
}

}  // namespace

std::string_view to_string(SmsEncoding encoding) {
  return encoding == SmsEncoding::gsm7 ? "GSM-7" : "UCS-2";
}

std::size_t gsm7_septets(char32_t c) {
  if (c == '\n' || c == '\r') return 1;
  if (c >= 0x20 && c <= 0x7E) return ascii_outside_default(c) ? (c == '`' ? 0 : 2) : 1;
  if (c == kGsm7SmallAGrave) return 1;
  if (std::find(kGsm7NonAscii.begin(), kGsm7NonAscii.end(), c) != kGsm7NonAscii.end()) return 1;
  if (c == 0x000C || c == 0x20AC) return 2;
  return 0;
}

SmsLength sms_length(std::string_view utf8) {
  const auto units = units_of(utf8);
  const bool gsm7 = std::all_of(units.begin(), units.end(), [](Unit u) { return u.gsm7 > 0; });
  SmsLength length;
  length.encoding = gsm7 ? SmsEncoding::gsm7 : SmsEncoding::ucs2;
  for (const auto& u : units) length.units += gsm7 ? u.gsm7 : u.ucs2;
  length.segments = gsm7 ? parts(units, true, kGsm7SingleSegment, kGsm7PartSegment)
                         : parts(units, false, kUcs2SingleSegment, kUcs2PartSegment);
  return length;
}

std::optional<FittedSms> fit_alert_sms(std::string_view body, std::string_view code,
                                       std::string_view reply, std::size_t max_segments) {
  std::string tail = "\n";
  tail += code;
  if (!code.empty() && !reply.empty()) tail += ' ';
  tail += reply;

  const auto attempt = [&](std::string_view kept, bool cut) -> std::optional<FittedSms> {
    FittedSms fitted;
    fitted.text.assign(kept);
    if (cut) fitted.text += "...";
    fitted.text += tail;
    fitted.length = sms_length(fitted.text);
    fitted.cut = cut;
    if (fitted.length.segments > max_segments) return std::nullopt;
    return fitted;
  };

  if (auto whole = attempt(body, false)) return whole;
  // At a word: the longest prefix ending before a space that fits. More text never takes fewer
  // segments, so the first fit from the end is the longest.
  for (std::size_t end = body.size(); end-- > 0;) {
    if (!is_space(body[end])) continue;
    const std::string_view kept = trimmed(body, end);
    if (kept.empty()) break;
    if (auto fitted = attempt(kept, true)) return fitted;
  }
  // One long word: between two characters.
  std::vector<std::size_t> starts;
  for (std::size_t at = 0; at < body.size(); at += next_code_point(body, at).bytes)
    starts.push_back(at);
  for (std::size_t i = starts.size(); i-- > 1;) {
    if (auto fitted = attempt(body.substr(0, starts[i]), true)) return fitted;
  }
  return std::nullopt;
}

}  // namespace puente::core
