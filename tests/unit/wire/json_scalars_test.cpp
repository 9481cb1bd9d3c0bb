// The JSON printer's leaves (json_scalars.hpp) against what they stand in for, on many values
// (fixed seeds): numbers against printf's %.*g as protobuf's SimpleDtoa and SimpleFtoa use it
// (bit patterns at random, so every exponent and the subnormals come up, and short decimals),
// and strings, bytes, doubles and timestamps against protobuf's own JSON printer and TimeUtil.
#include "puente/v1/json_scalars.hpp"
#include "puente/v1/puente.pb.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

namespace puente::wire {
namespace {

// protobuf's SimpleDtoa / SimpleFtoa: the short form if it reads back as the same value.
std::string printf_general(double v, int short_digits, int long_digits, bool as_float) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", short_digits, v);
  const bool same = as_float ? std::strtof(buffer, nullptr) == static_cast<float>(v)
                             : std::strtod(buffer, nullptr) == v;
  if (!same) std::snprintf(buffer, sizeof buffer, "%.*g", long_digits, v);
  return buffer;
}

template <class Real>
Real from_bits(std::uint64_t bits) {
  Real v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// Doubles and floats of every kind: random bit patterns, short decimals (34.0335, 1e21), whole
// numbers, powers of two and ten, and the values either side of each.
template <class Real>
std::vector<Real> many_reals(std::size_t n) {
  std::mt19937_64 random(22);
  std::vector<Real> all;
  for (int e = -330; e <= 310; ++e) {
    const Real p = static_cast<Real>(std::pow(10.0, e));
    all.insert(all.end(), {p, std::nextafter(p, Real(0)), std::nextafter(p, Real(1e300))});
  }
  for (int e = -1080; e <= 1030; ++e) all.push_back(static_cast<Real>(std::ldexp(1.0, e)));
  all.insert(all.end(), {Real(0), -Real(0), std::numeric_limits<Real>::max(),
                         std::numeric_limits<Real>::lowest(), std::numeric_limits<Real>::min(),
                         std::numeric_limits<Real>::denorm_min()});
  while (all.size() < n) {
    const std::uint64_t bits = random();
    switch (bits % 4) {
      case 0:
      case 1: all.push_back(from_bits<Real>(sizeof(Real) == 8 ? bits : bits >> 32)); break;
      case 2:  // a decimal of 1 to 17 digits, scaled
        all.push_back(static_cast<Real>(static_cast<double>(bits >> 10 & ((1ull << 54) - 1)) /
                                        std::pow(10.0, static_cast<int>(bits >> 2 & 31)) *
                                        std::pow(10.0, static_cast<int>(bits >> 7 & 7) - 4)));
        break;
      default: all.push_back(static_cast<Real>(static_cast<std::int64_t>(bits) >> (bits & 63)));
    }
  }
  return all;
}

// Every finite value of many_reals as `append` prints it against printf_general; how many.
template <class Real>
std::size_t compare_with_printf(void (*append)(std::string&, Real), int short_digits,
                                int long_digits) {
  std::size_t checked = 0;
  for (const Real v : many_reals<Real>(400'000)) {
    if (!std::isfinite(v)) continue;
    std::string ours;
    append(ours, v);
    const auto expected = printf_general(v, short_digits, long_digits, sizeof(Real) == 4);
    if (ours != expected) {
      ADD_FAILURE() << std::hexfloat << v << ": " << ours << ", printf " << expected;
      break;
    }
    ++checked;
  }
  return checked;
}

TEST(JsonScalars, DoublesAsSimpleDtoaPrintsThem) {
  EXPECT_GT(compare_with_printf<double>(append_json_double, 15, 17), 350'000u);
}

TEST(JsonScalars, FloatsAsSimpleFtoaPrintsThem) {
  EXPECT_GT(compare_with_printf<float>(append_json_float, 6, 9), 350'000u);
}

TEST(JsonScalars, NotANumberAndTheInfinitiesAreStrings) {
  std::string out;
  append_json_double(out, std::numeric_limits<double>::quiet_NaN());
  append_json_double(out, std::numeric_limits<double>::infinity());
  append_json_float(out, -std::numeric_limits<float>::infinity());
  EXPECT_EQ(out, R"("NaN""Infinity""-Infinity")");
}

// Through a message, as protobuf prints it: a location's coordinates.
TEST(JsonScalars, DoublesAsProtobufPrintsThem) {
  std::size_t compared = 0;
  const auto reals = many_reals<double>(40'000);
  for (std::size_t i = 0; i + 1 < reals.size(); i += 2) {
    v1::Location location;
    location.set_lat(reals[i]);
    location.set_lon(reals[i + 1]);
    std::string theirs;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(location, &theirs, {}).ok());
    std::string ours = "{";
    if (location.lat() != 0 || std::signbit(location.lat())) {
      ours += R"("lat":)";
      append_json_double(ours, location.lat());
    }
    if (location.lon() != 0 || std::signbit(location.lon())) {
      ours += ours.size() > 1 ? R"(,"lon":)" : R"("lon":)";
      append_json_double(ours, location.lon());
    }
    ours += '}';
    ASSERT_EQ(ours, theirs) << std::hexfloat << reals[i] << " " << reals[i + 1];
    ++compared;
  }
  EXPECT_GT(compared, 19'000u);
}

// Random valid UTF-8 made of the characters that matter to the escaping: each escaped one,
// their neighbours, the other characters of U+2028's lead byte, and plain text. Not those that
// protobuf escapes and Puente does not (InvisibleCharactersComeThroughAsTheyAre).
std::string random_text(std::mt19937& random) {
  static const std::vector<std::string> pieces{"a",
                                               "plain words ",
                                               "\"",
                                               "\\",
                                               "/",
                                               "<",
                                               ">",
                                               "&",
                                               "'",
                                               "=",
                                               "\x7f",
                                               "\x01",
                                               "\x1f",
                                               " ",
                                               std::string(1, '\0'),
                                               "\b",
                                               "\f",
                                               "\n",
                                               "\r",
                                               "\t",
                                               "\xe2\x80\xa8",
                                               "\xe2\x80\xa9",
                                               "\xe2\x80\xa7",
                                               "\xe2\x80\xa6",
                                               "\xe2\x82\xac",
                                               "é",
                                               "日本",
                                               "\xf0\x9f\x98\x80",
                                               "\xc2\xa0",
                                               "\xef\xbf\xbf"};
  std::string text;
  for (auto n = random() % 12; n > 0; --n) text += pieces[random() % pieces.size()];
  return text;
}

TEST(JsonScalars, StringsAndBytesAsProtobufPrintsThem) {
  std::mt19937 random(2028);
  for (int i = 0; i < 20'000; ++i) {
    v1::IssuedToken token;
    token.set_note(random_text(random));
    token.set_signature(std::string(random() % 11, '\0'));
    for (auto& byte : *token.mutable_signature()) byte = static_cast<char>(random());
    if (token.note().empty() && token.signature().empty()) continue;
    std::string theirs;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(token, &theirs, {}).ok());
    std::string ours = "{";
    if (!token.note().empty()) {
      ours += R"("note":)";
      append_json_string(ours, token.note());
    }
    if (!token.signature().empty()) {
      ours += ours.size() > 1 ? R"(,"signature":)" : R"("signature":)";
      append_json_base64(ours, token.signature());
    }
    ours += '}';
    ASSERT_EQ(ours, theirs) << token.DebugString();
  }
}

TEST(JsonScalars, EscapesQuotesControlsAngleBracketsAndSeparators) {
  std::string out;
  append_json_string(out,
                     std::string("a\"b\\c\n<d>\x7f\0\x1f\xe2\x80\xa8\xe2\x80\xa9\xe2\x80", 20));
  EXPECT_EQ(out, R"("a\"b\\c\n\u003cd\u003e\u007f\u0000\u001f\u2028\u2029)"
                 "\xe2\x80\"");
}

// Where Puente's printer has always differed from protobuf's: protobuf also escapes the C1
// controls (U+0080 to U+009F), the soft hyphen and the invisible formatting characters (U+200B
// to U+200F, U+202A to U+202E, U+2060 to U+206F, U+FEFF...). The JSON value is the same; the
// bytes are kept as they were.
TEST(JsonScalars, InvisibleCharactersComeThroughAsTheyAre) {
  const std::string invisible =
      "\xc2\x80\xc2\x9f\xc2\xad\xe2\x80\x8b\xe2\x80\xaa\xe2\x81\xa0\xef\xbb\xbf";
  std::string ours;
  append_json_string(ours, invisible);
  EXPECT_EQ(ours, '"' + invisible + '"');
  v1::IssuedToken token;
  token.set_note(invisible);
  std::string theirs;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(token, &theirs, {}).ok());
  EXPECT_EQ(theirs, R"({"note":"\u0080\u009f\u00ad\u200b\u202a\u2060\ufeff"})");
}

TEST(JsonScalars, TimestampsAsTimeUtilPrintsThem) {
  using google::protobuf::util::TimeUtil;
  std::mt19937_64 random(1970);
  const std::vector<std::int32_t> nanos{0, 1, 999999999, 123000000, 123456000, 123456789, 500};
  std::vector<std::int64_t> seconds{TimeUtil::kTimestampMinSeconds,
                                    TimeUtil::kTimestampMaxSeconds,
                                    -1,
                                    0,
                                    951782400,     // 2000-02-29
                                    951868800,     // 2000-03-01
                                    4107456000,    // 2100-02-28 (2100 is no leap year)
                                    -2203891200};  // 1900-03-01
  for (int i = 0; i < 200'000; ++i) {
    const auto span = static_cast<std::uint64_t>(TimeUtil::kTimestampMaxSeconds -
                                                 TimeUtil::kTimestampMinSeconds + 1);
    seconds.push_back(TimeUtil::kTimestampMinSeconds + static_cast<std::int64_t>(random() % span));
  }
  std::size_t i = 0;
  for (const auto s : seconds) {
    google::protobuf::Timestamp t;
    t.set_seconds(s);
    t.set_nanos(nanos[i++ % nanos.size()]);
    std::string ours;
    ASSERT_TRUE(append_json_timestamp(ours, t.seconds(), t.nanos()));
    ASSERT_EQ(ours, '"' + TimeUtil::ToString(t) + '"') << s;
  }
}

TEST(JsonScalars, TimestampsOutsideTheirRangeAreRefused) {
  std::string out;
  EXPECT_FALSE(append_json_timestamp(out, -62135596801, 0));
  EXPECT_FALSE(append_json_timestamp(out, 253402300800, 0));
  EXPECT_FALSE(append_json_timestamp(out, 0, -1));
  EXPECT_FALSE(append_json_timestamp(out, 0, 1000000000));
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace puente::wire
