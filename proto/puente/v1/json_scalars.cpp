// The JSON printer's leaves (json_scalars.hpp). Each runs once per string, number or timestamp of
// every alert frame and every answer, so each works on the bytes directly: a table lookup per
// byte of text, shortest-form number digits without a parse back, calendar arithmetic without
// gmtime_r.
#include "puente/v1/json_scalars.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace puente::wire {

namespace {

// What a byte of a string needs: copied as it is, or one of the escapes below.
enum Escape : std::uint8_t { plain, backslash, unicode, maybe_separator };

// The byte's escape, and for `backslash` the letter after the '\'.
struct ByteEscape {
  Escape escape;
  char letter;
};

constexpr std::array<ByteEscape, 256> make_escapes() {
  std::array<ByteEscape, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = {unicode, 0};
  table['\b'] = {backslash, 'b'};
  table['\f'] = {backslash, 'f'};
  table['\n'] = {backslash, 'n'};
  table['\r'] = {backslash, 'r'};
  table['\t'] = {backslash, 't'};
  table['"'] = {backslash, '"'};
  table['\\'] = {backslash, '\\'};
  table['<'] = {unicode, 0};
  table['>'] = {unicode, 0};
  table[0x7F] = {unicode, 0};
  table[0xE2] = {maybe_separator, 0};  // the lead byte of U+2028 and U+2029 (E2 80 A8/A9)
  return table;
}

constexpr auto escapes = make_escapes();
constexpr char hex_digits[] = "0123456789abcdef";

// `n` (>= 0) in exactly `width` digits, zeros in front.
void append_digits(std::string& out, unsigned n, int width) {
  char buffer[9];
  for (int i = width - 1; i >= 0; --i, n /= 10) buffer[i] = static_cast<char>('0' + n % 10);
  out.append(buffer, static_cast<std::size_t>(width));
}

// The significant digits of a finite number and the power of ten of the first: 1.25e-3 is
// "125" and -3.
struct Decimal {
  bool negative = false;
  char digits[20];
  int count = 0;
  int exponent = 0;
};

// Reads to_chars' scientific form ("-1.25e-03") into its digits.
Decimal read_scientific(const char* p, const char* end) {
  Decimal d;
  if (*p == '-') {
    d.negative = true;
    ++p;
  }
  for (; p < end && *p != 'e'; ++p)
    if (*p != '.') d.digits[d.count++] = *p;
  ++p;  // the 'e'
  const bool below_one = *p == '-';
  int exponent = 0;
  for (++p; p < end; ++p) exponent = exponent * 10 + (*p - '0');
  d.exponent = below_one ? -exponent : exponent;
  return d;
}

// The number as printf's %.<precision>g prints it when `d.count` <= precision and its digits are
// those %g would round to: fixed notation if the exponent is in [-4, precision), else
// scientific with at least two exponent digits, trailing zeros of the fraction dropped (the
// shortest form has none).
void append_general(std::string& out, const Decimal& d, int precision) {
  if (d.negative) out += '-';
  const int x = d.exponent;
  if (x < -4 || x >= precision) {
    out += d.digits[0];
    if (d.count > 1) {
      out += '.';
      out.append(d.digits + 1, static_cast<std::size_t>(d.count - 1));
    }
    out += 'e';
    out += x < 0 ? '-' : '+';
    const unsigned magnitude = static_cast<unsigned>(x < 0 ? -x : x);
    append_digits(out, magnitude, magnitude >= 100 ? 3 : 2);
  } else if (x < 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-x - 1), '0');
    out.append(d.digits, static_cast<std::size_t>(d.count));
  } else if (d.count <= x + 1) {  // a whole number
    out.append(d.digits, static_cast<std::size_t>(d.count));
    out.append(static_cast<std::size_t>(x + 1 - d.count), '0');
  } else {
    out.append(d.digits, static_cast<std::size_t>(x + 1));
    out += '.';
    out.append(d.digits + x + 1, static_cast<std::size_t>(d.count - x - 1));
  }
}

// protobuf's SimpleDtoa (short_digits 15, long_digits 17) and SimpleFtoa (6 and 9): %.<short>g
// if that reads back as the same value, else %.<long>g.
//
// Without printing twice and parsing back: take the shortest digits that read back (to_chars'
// shortest form). If there are at most `short_digits` of them, %.<short>g rounds to those same
// digits: a decimal of that many digits is at most half a unit in the last place (ulp) away, and
// decimals of `short_digits` digits lie more than one ulp apart, so no other is nearer. Else
// %.<short>g cannot read back, and protobuf prints %.<long>g: the shortest form with exactly
// `long_digits` digits is the nearest such decimal, which is what %g rounds to; fewer (16 for a
// double, 7 or 8 for a float) are not, and then printf's rounding is asked for. A subnormal
// number has fewer bits, so its ulp is wider than that spacing: it is printed and read back.
template <class Real>
void append_real(std::string& out, Real value, int short_digits, int long_digits) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  char buffer[48];
  if (std::fpclassify(value) == FP_SUBNORMAL) {  // fewer bits than digits: print and read back
    auto printed = std::to_chars(buffer, buffer + sizeof buffer, static_cast<double>(value),
                                 std::chars_format::general, short_digits);
    Real back{};
    std::from_chars(buffer, printed.ptr, back);
    if (back != value)
      printed = std::to_chars(buffer, buffer + sizeof buffer, static_cast<double>(value),
                              std::chars_format::general, long_digits);
    out.append(buffer, printed.ptr);
    return;
  }
  const auto shortest =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const Decimal d = read_scientific(buffer, shortest.ptr);
  if (d.count <= short_digits) return append_general(out, d, short_digits);
  if (d.count == long_digits) return append_general(out, d, long_digits);
  const auto rounded = std::to_chars(buffer, buffer + sizeof buffer, static_cast<double>(value),
                                     std::chars_format::general, long_digits);
  out.append(buffer, rounded.ptr);
}

// Days since 1970-01-01 as a proleptic Gregorian date (Howard Hinnant's civil_from_days).
struct Date {
  std::int64_t year;
  unsigned month, day;
};

Date date_of(std::int64_t days) {
  days += 719468;  // from 0000-03-01, so that a leap day ends its year
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;  // March is 0
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2), month, day};
}

// google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr std::int64_t earliest_timestamp = -62135596800;
constexpr std::int64_t latest_timestamp = 253402300799;
constexpr std::int64_t seconds_per_day = 86400;

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  const char* const end = text.data() + text.size();
  const char* run = text.data();  // where the bytes copied as they are start
  for (const char* p = run; p < end;) {
    const ByteEscape e = escapes[static_cast<unsigned char>(*p)];
    if (e.escape == plain) {
      ++p;
      continue;
    }
    std::size_t length = 1;
    char escaped[6] = {'\\', 'u', '0', '0', 0, 0};
    switch (e.escape) {
      case backslash:
        escaped[1] = e.letter;
        out.append(run, p).append(escaped, 2);
        break;
      case unicode:
        escaped[4] = hex_digits[static_cast<unsigned char>(*p) >> 4];
        escaped[5] = hex_digits[static_cast<unsigned char>(*p) & 0xF];
        out.append(run, p).append(escaped, 6);
        break;
      case maybe_separator:
        if (end - p < 3 || static_cast<unsigned char>(p[1]) != 0x80 ||
            (static_cast<unsigned char>(p[2]) != 0xA8 &&
             static_cast<unsigned char>(p[2]) != 0xA9)) {
          ++p;  // another character of that lead byte
          continue;
        }
        out.append(run, p).append(static_cast<unsigned char>(p[2]) == 0xA8 ? "\\u2028" : "\\u2029");
        length = 3;
        break;
      case plain: break;
    }
    p += length;
    run = p;
  }
  out.append(run, end);
  out += '"';
}

void append_json_base64(std::string& out, std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  out += '"';
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    const char quad[4] = {alphabet[n >> 18], alphabet[(n >> 12) & 63], alphabet[(n >> 6) & 63],
                          alphabet[n & 63]};
    out.append(quad, 4);
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    unsigned n = at(i) << 16;
    if (rest == 2) n |= at(i + 1) << 8;
    const char quad[4] = {alphabet[n >> 18], alphabet[(n >> 12) & 63],
                          rest == 2 ? alphabet[(n >> 6) & 63] : '=', '='};
    out.append(quad, 4);
  }
  out += '"';
}

void append_json_double(std::string& out, double value) {
  append_real(out, value, std::numeric_limits<double>::digits10,
              std::numeric_limits<double>::max_digits10);
}

void append_json_float(std::string& out, float value) {
  append_real(out, value, std::numeric_limits<float>::digits10,
              std::numeric_limits<float>::max_digits10);
}

bool append_json_timestamp(std::string& out, std::int64_t seconds, std::int32_t nanos) {
  if (seconds < earliest_timestamp || seconds > latest_timestamp || nanos < 0 || nanos > 999999999)
    return false;
  std::int64_t days = seconds / seconds_per_day;
  std::int64_t second_of_day = seconds % seconds_per_day;
  if (second_of_day < 0) {  // before 1970: round the day down
    second_of_day += seconds_per_day;
    --days;
  }
  const Date date = date_of(days);
  const auto s = static_cast<unsigned>(second_of_day);
  // "YYYY-MM-DDTHH:MM:SS": the years of the valid range have four digits.
  char stamp[21] = "\"0000-00-00T00:00:00";
  const auto put = [&](int at, unsigned n, int width) {
    for (int i = at + width - 1; i >= at; --i, n /= 10) stamp[i] = static_cast<char>('0' + n % 10);
  };
  put(1, static_cast<unsigned>(date.year), 4);
  put(6, date.month, 2);
  put(9, date.day, 2);
  put(12, s / 3600, 2);
  put(15, s / 60 % 60, 2);
  put(18, s % 60, 2);
  out.append(stamp, 20);
  if (nanos != 0) {
    out += '.';
    const auto n = static_cast<unsigned>(nanos);
    if (n % 1000000 == 0)
      append_digits(out, n / 1000000, 3);
    else if (n % 1000 == 0)
      append_digits(out, n / 1000, 6);
    else
      append_digits(out, n, 9);
  }
  out += "Z\"";
  return true;
}

}  // namespace puente::wire
