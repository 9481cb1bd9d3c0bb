// TimeZone: TZif files from the system's tzdata, and synthetic ones for the footer rules and the
// errors. Expected values were checked against Python's zoneinfo on the same tzdata.

#include "core/time_zone.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace puente::core {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using namespace std::chrono;
using namespace std::chrono_literals;

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

std::int64_t unix_seconds(system_clock::time_point t) {
  return floor<seconds>(t).time_since_epoch().count();
}

const TimeZone& los_angeles() {
  static const TimeZone zone = TimeZone::load("America/Los_Angeles");
  return zone;
}

void expect_local(const LocalTime& t, int y, int mo, int d, int h, int mi, int s, int offset_h,
                  const std::string& abbreviation) {
  EXPECT_EQ(t.year, y);
  EXPECT_EQ(t.month, mo);
  EXPECT_EQ(t.day, d);
  EXPECT_EQ(t.hour, h);
  EXPECT_EQ(t.minute, mi);
  EXPECT_EQ(t.second, s);
  EXPECT_EQ(t.utc_offset, hours{offset_h});
  EXPECT_EQ(t.abbreviation, abbreviation);
}

// --- A synthetic TZif writer, for footers and broken files ---------------------------------

std::string big_endian(std::int64_t value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff));
  return out;
}

struct SyntheticType {
  std::int32_t utoff;
  bool dst;
  std::string abbreviation;
};

// A TZif file of `version` ('\0' for 1, else '2') with the given transitions and types, and, for
// version 2, the POSIX TZ `footer`.
std::string tzif(char version, const std::vector<std::pair<std::int64_t, int>>& transitions,
                 const std::vector<SyntheticType>& types, const std::string& footer) {
  std::string chars;
  std::vector<int> designation;
  for (const auto& t : types) {
    designation.push_back(static_cast<int>(chars.size()));
    chars += t.abbreviation + '\0';
  }
  const auto block = [&](int time_bytes) {
    std::string out = "TZif";
    out.push_back(version);
    out += std::string(15, '\0');
    for (std::size_t n : {std::size_t{0}, std::size_t{0}, std::size_t{0}, transitions.size(),
                          types.size(), chars.size()})
      out += big_endian(static_cast<std::int64_t>(n), 4);
    for (const auto& [at, type] : transitions) out += big_endian(at, time_bytes);
    for (const auto& [at, type] : transitions) out.push_back(static_cast<char>(type));
    for (std::size_t i = 0; i < types.size(); ++i) {
      out += big_endian(types[i].utoff, 4);
      out.push_back(types[i].dst ? 1 : 0);
      out.push_back(static_cast<char>(designation[i]));
    }
    return out + chars;
  };
  if (version == '\0') return block(4);
  return block(4) + block(8) + "\n" + footer + "\n";
}

// A zone ruled by its footer alone: no transitions at all.
TimeZone footer_only(const std::string& footer) {
  return TimeZone::from_tzif("footer " + footer, tzif('2', {}, {{0, false, "LMT"}}, footer));
}

// --- The real zones ------------------------------------------------------------------------

TEST(TimeZone, LosAngelesIsMinusEightInWinterAndMinusSevenInSummer) {
  const LocalTime winter = los_angeles().to_local(utc(2026, 1, 15, 20));
  expect_local(winter, 2026, 1, 15, 12, 0, 0, -8, "PST");
  EXPECT_FALSE(winter.is_dst);
  EXPECT_EQ(winter.weekday, 4);  // Thursday

  const LocalTime summer = los_angeles().to_local(utc(2026, 7, 4, 19));
  expect_local(summer, 2026, 7, 4, 12, 0, 0, -7, "PDT");
  EXPECT_TRUE(summer.is_dst);
  EXPECT_EQ(summer.weekday, 6);  // Saturday
  EXPECT_EQ(summer.seconds_of_day(), 12 * 3600);
}

TEST(TimeZone, LosAngelesSpringsForwardAtTwoOnMarch8_2026) {
  expect_local(los_angeles().to_local(utc(2026, 3, 8, 9, 59, 59)), 2026, 3, 8, 1, 59, 59, -8,
               "PST");
  expect_local(los_angeles().to_local(utc(2026, 3, 8, 10)), 2026, 3, 8, 3, 0, 0, -7, "PDT");
}

TEST(TimeZone, LosAngelesFallsBackAtTwoOnNovember1_2026) {
  expect_local(los_angeles().to_local(utc(2026, 11, 1, 8, 59, 59)), 2026, 11, 1, 1, 59, 59, -7,
               "PDT");
  // The same wall-clock hour again, an hour later.
  expect_local(los_angeles().to_local(utc(2026, 11, 1, 9)), 2026, 11, 1, 1, 0, 0, -8, "PST");
}

TEST(TimeZone, AfterTheLastTransitionTheFooterRules) {
  // tzdata's tables stop at 2037; 2100 comes from "PST8PDT,M3.2.0,M11.1.0".
  expect_local(los_angeles().to_local(utc(2100, 3, 14, 9, 59, 59)), 2100, 3, 14, 1, 59, 59, -8,
               "PST");
  expect_local(los_angeles().to_local(utc(2100, 3, 14, 10)), 2100, 3, 14, 3, 0, 0, -7, "PDT");
  expect_local(los_angeles().to_local(utc(2100, 11, 7, 8, 59, 59)), 2100, 11, 7, 1, 59, 59, -7,
               "PDT");
  expect_local(los_angeles().to_local(utc(2100, 11, 7, 9)), 2100, 11, 7, 1, 0, 0, -8, "PST");
}

TEST(TimeZone, BeforeTheFirstTransitionLocalMeanTimeRules) {
  const LocalTime t = los_angeles().to_local(utc(1800, 1, 1));
  EXPECT_EQ(t.utc_offset, -(7h + 52min + 58s));
  EXPECT_EQ(t.abbreviation, "LMT");
  EXPECT_EQ(t.year, 1799);
  EXPECT_EQ(t.hour, 16);
}

TEST(TimeZone, OtherShapesOfZone) {
  // Southern hemisphere: DST across the new year.
  const TimeZone sydney = TimeZone::load("Australia/Sydney");
  EXPECT_EQ(sydney.to_local(utc(2100, 1, 15)).utc_offset, 11h);
  EXPECT_EQ(sydney.to_local(utc(2100, 7, 15)).utc_offset, 10h);
  // A "<-03>3" footer; a half-hour offset; plain UTC.
  const LocalTime sao_paulo = TimeZone::load("America/Sao_Paulo").to_local(utc(2026, 1, 15));
  EXPECT_EQ(sao_paulo.abbreviation, "-03");
  EXPECT_EQ(sao_paulo.day, 14);
  EXPECT_EQ(sao_paulo.hour, 21);
  EXPECT_EQ(TimeZone::load("Asia/Kolkata").to_local(utc(2026, 1, 15)).utc_offset, 5h + 30min);
  EXPECT_EQ(TimeZone::load("Etc/UTC").to_local(utc(2026, 1, 15, 3)).hour, 3);
}

// The footer's rule, alone, must say what the transition table says for every hour of the years
// the table covers: that checks the POSIX rule arithmetic against the tz compiler's.
TEST(TimeZone, FooterRulesAgreeWithTheTablesHourByHour) {
  const std::vector<std::pair<std::string, std::string>> zones = {
      {"America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"},
      {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"},
      {"Europe/Dublin", "IST-1GMT0,M10.5.0,M3.5.0/1"},  // "negative DST": winter is the DST
  };
  for (const auto& [name, footer] : zones) {
    SCOPED_TRACE(name);
    const TimeZone table = TimeZone::load(name);
    const TimeZone rule = footer_only(footer);
    int mismatches = 0;
    for (auto t = utc(2010, 1, 1); t < utc(2037, 1, 1) && mismatches < 5; t += 1h) {
      const LocalTime a = table.to_local(t), b = rule.to_local(t);
      if (a.utc_offset != b.utc_offset || a.abbreviation != b.abbreviation || a.hour != b.hour) {
        ++mismatches;
        ADD_FAILURE() << "at " << unix_seconds(t) << ": table " << a.abbreviation << " "
                      << a.utc_offset.count() << ", rule " << b.abbreviation << " "
                      << b.utc_offset.count();
      }
    }
  }
}

TEST(TimeZone, TimePointAndSecondsAgreeAndPreEpochFloors) {
  const auto t = utc(2026, 3, 8, 10) + 999ms;
  EXPECT_EQ(los_angeles().to_local(t).second, los_angeles().to_local(unix_seconds(t)).second);
  const LocalTime before = TimeZone::utc().to_local(-1);
  EXPECT_EQ(before.year, 1969);
  EXPECT_EQ(before.hour, 23);
  EXPECT_EQ(before.second, 59);
  EXPECT_EQ(before.weekday, 3);  // Wednesday
}

TEST(TimeZone, ExtremeInstantsAreClampedNotUndefined) {
  const LocalTime far = los_angeles().to_local(std::numeric_limits<std::int64_t>::max());
  EXPECT_GT(far.year, 4000);
  const LocalTime past = los_angeles().to_local(std::numeric_limits<std::int64_t>::min());
  EXPECT_LT(past.year, -1000);
}

TEST(TimeZone, CopiesAreIndependentValues) {
  TimeZone copy = los_angeles();
  EXPECT_EQ(copy.name(), "America/Los_Angeles");
  copy = TimeZone::utc();
  EXPECT_EQ(copy.name(), "UTC");
  EXPECT_EQ(los_angeles().name(), "America/Los_Angeles");
}

// --- Synthetic files -----------------------------------------------------------------------

TEST(TimeZone, PosixRuleForms) {
  // "Jn": day n of 365, February 29 never counted, so J60 is March 1 in leap years too.
  const TimeZone julian = footer_only("AAA5BBB,J60/2,J300/2");
  EXPECT_EQ(julian.to_local(utc(2024, 3, 1, 6, 59)).abbreviation, "AAA");
  EXPECT_EQ(julian.to_local(utc(2024, 3, 1, 7)).abbreviation, "BBB");
  // "n": zero-based, February 29 counted: day 59 is February 29 in a leap year.
  const TimeZone zero_based = footer_only("AAA5BBB4,59/0,300");
  EXPECT_EQ(zero_based.to_local(utc(2024, 2, 29, 4, 59)).abbreviation, "AAA");
  EXPECT_EQ(zero_based.to_local(utc(2024, 2, 29, 5)).abbreviation, "BBB");
  EXPECT_EQ(zero_based.to_local(utc(2024, 2, 29, 5)).utc_offset, -4h);
  // Week 5 is the last such weekday; hours beyond 24 (RFC 8536) move into the next day.
  const TimeZone late = footer_only("<+01>-1<+02>,M3.5.0/25,M10.5.0");
  EXPECT_EQ(late.to_local(utc(2026, 3, 29, 23, 59)).abbreviation, "+01");  // Sun 29th, 24:59
  EXPECT_EQ(late.to_local(utc(2026, 3, 30)).abbreviation, "+02");          // Mon 30th, 01:00
  EXPECT_EQ(footer_only("<+0530>-5:30").to_local(0).utc_offset, 5h + 30min);
}

TEST(TimeZone, VersionOneFilesUseTheirTable) {
  const std::string bytes =
      tzif('\0', {{1000, 1}, {2000, 0}}, {{0, false, "AAA"}, {3600, true, "BBB"}}, "");
  const TimeZone zone = TimeZone::from_tzif("Test/V1", bytes);
  EXPECT_EQ(zone.to_local(999).abbreviation, "AAA");
  EXPECT_EQ(zone.to_local(1000).abbreviation, "BBB");
  EXPECT_EQ(zone.to_local(1999).utc_offset, 1h);
  EXPECT_EQ(zone.to_local(5000).abbreviation, "AAA");
}

TEST(TimeZone, AnEmptyFooterKeepsTheLastTransition) {
  const TimeZone zone = TimeZone::from_tzif(
      "Test/NoFooter", tzif('2', {{1000, 1}}, {{0, false, "AAA"}, {7200, false, "CCC"}}, ""));
  EXPECT_EQ(zone.to_local(4'000'000'000).abbreviation, "CCC");
}

void expect_rejected(const std::string& bytes, const std::string& reason) {
  EXPECT_THAT([&] { TimeZone::from_tzif("Test/Broken", bytes); },
              ThrowsMessage<std::runtime_error>(AllOf(HasSubstr("Test/Broken"), HasSubstr(reason))))
      << reason;
}

TEST(TimeZone, RejectsBrokenFilesNamingTheZone) {
  const std::vector<SyntheticType> one = {{0, false, "AAA"}};
  const std::string good = tzif('2', {{1000, 0}}, one, "AAA0");
  expect_rejected("", "truncated");
  expect_rejected("TZxf" + good.substr(4), "bad magic");
  expect_rejected(good.substr(0, 60), "truncated");
  expect_rejected(tzif('2', {}, {}, "AAA0"), "no local time types");
  expect_rejected(tzif('2', {{1000, 3}}, one, "AAA0"), "bad type index");
  expect_rejected(tzif('2', {{2000, 0}, {1000, 0}}, one, "AAA0"), "out of order");
  expect_rejected(tzif('2', {}, {{30 * 3600, false, "AAA"}}, "AAA0"), "UTC offset out of range");
  expect_rejected(good.substr(0, good.size() - 1), "unterminated footer");
  expect_rejected(tzif('2', {}, one, "AAA0BBB"), "unsupported POSIX TZ footer \"AAA0BBB\"");
  expect_rejected(tzif('2', {}, one, "AAA0BBB,M13.1.0,M1.1.0"), "unsupported POSIX TZ footer");
  expect_rejected(tzif('2', {}, one, "A0"), "unsupported POSIX TZ footer");
}

TEST(TimeZone, LoadRefusesUnknownZonesAndPathTricks) {
  EXPECT_THAT([] { TimeZone::load("Mars/Olympus_Mons"); },
              ThrowsMessage<std::runtime_error>(
                  AllOf(HasSubstr("\"Mars/Olympus_Mons\""), HasSubstr("tzdata"))));
  EXPECT_THAT([] { TimeZone::load("../../etc/passwd"); },
              ThrowsMessage<std::runtime_error>(HasSubstr("not a time zone name")));
  EXPECT_THAT([] { TimeZone::load("/etc/passwd"); },
              ThrowsMessage<std::runtime_error>(HasSubstr("not a time zone name")));
  EXPECT_THAT([] { TimeZone::load(""); },
              ThrowsMessage<std::runtime_error>(HasSubstr("not a time zone name")));
  // A folder is not a zone.
  EXPECT_THAT([] { TimeZone::load("America"); },
              ThrowsMessage<std::runtime_error>(HasSubstr("unknown time zone")));
  // Nor is a file that is not TZif, from another folder.
  EXPECT_THAT(
      [] { TimeZone::load("passwd", "/etc"); },
      ThrowsMessage<std::runtime_error>(AllOf(HasSubstr("\"passwd\""), HasSubstr("magic"))));
}

}  // namespace
}  // namespace puente::core
