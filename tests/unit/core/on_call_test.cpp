// Shifts and standby: roster parsing, shift arithmetic (midnight, the week's end, DST nights in
// America/Los_Angeles) and who is alerted for a neighborhood now.

#include "core/on_call.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace puente::core {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::ThrowsMessage;
using namespace std::chrono;
using namespace std::chrono_literals;

const TimeZone& los_angeles() {
  static const TimeZone zone = TimeZone::load("America/Los_Angeles");
  return zone;
}

system_clock::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

// A wall-clock reading with only what shifts look at.
LocalTime at(int weekday, int hour, int minute, int second = 0) {
  LocalTime t;
  t.weekday = weekday;
  t.hour = hour;
  t.minute = minute;
  t.second = second;
  return t;
}
constexpr int kSun = 0, kMon = 1, kTue = 2, kThu = 4, kFri = 5, kSat = 6;

std::string responder(const std::string& id, const std::string& extra) {
  return "[[responder]]\nid = \"" + id + "\"\nroles = [\"legal_observer\"]\ntoken_sha256 = \"" +
         sha256_hex(id) + "\"\n" + extra + "\n";
}

Responder with_shifts(const std::string& shifts) {
  return Roster::from_toml(responder("r", "shifts = " + shifts)).responders().front();
}

// Minutes of `who` on call from `from` to `to`, sampled each real (UTC) minute.
int minutes_on_call(const Responder& who, system_clock::time_point from,
                    system_clock::time_point to) {
  int on = 0;
  for (auto t = from; t < to; t += 1min) on += on_call(who, t, los_angeles()) ? 1 : 0;
  return on;
}

std::vector<std::string> ids(const std::vector<const Responder*>& responders) {
  std::vector<std::string> out;
  for (const Responder* r : responders) out.push_back(r->id);
  return out;
}

TEST(Shifts, ParseDaysTimesAndStandby) {
  const auto roster = Roster::from_toml(responder(
      "obs-maria",
      "standby = true\nshifts = [ { days = [\"fri\", \"sat\"], start = \"18:00\", end = \"02:00\" "
      "}, { days = [\"mon\"], start = \"09:00\", end = \"17:30\" } ]"));
  const Responder& maria = roster.responders().front();
  EXPECT_TRUE(maria.standby);
  ASSERT_EQ(maria.shifts.size(), 2u);
  EXPECT_TRUE(maria.shifts[0].days[kFri]);
  EXPECT_TRUE(maria.shifts[0].days[kSat]);
  EXPECT_FALSE(maria.shifts[0].days[kSun]);
  EXPECT_EQ(maria.shifts[0].start_minute, 18 * 60);
  EXPECT_EQ(maria.shifts[0].end_minute, 2 * 60);
  EXPECT_TRUE(maria.shifts[0].crosses_midnight());
  EXPECT_EQ(maria.shifts[1].end_minute, 17 * 60 + 30);
  EXPECT_FALSE(maria.shifts[1].crosses_midnight());
}

TEST(Shifts, ArrayOfTablesSyntaxWorksToo) {
  const auto roster = Roster::from_toml(
      responder("obs-a",
                "[[responder.shifts]]\ndays = [\"sun\"]\nstart = \"00:00\"\nend = "
                "\"23:59\""));
  EXPECT_EQ(roster.responders().front().shifts.size(), 1u);
}

TEST(Shifts, DefaultsAreNotStandbyAndNoShifts) {
  const auto roster = Roster::from_toml(responder("obs-a", ""));
  EXPECT_FALSE(roster.responders().front().standby);
  EXPECT_TRUE(roster.responders().front().shifts.empty());
}

void expect_rejected(const std::string& extra, const std::string& what) {
  EXPECT_THAT([&] { Roster::from_toml(responder("obs-maria", extra)); },
              ThrowsMessage<std::runtime_error>(AllOf(HasSubstr("\"obs-maria\""), HasSubstr(what))))
      << extra;
}

TEST(Shifts, ParseErrorsNameResponderShiftAndField) {
  const std::string ok = R"({ days = ["mon"], start = "09:00", end = "17:00" })";
  expect_rejected("shifts = [" + ok + R"(, { days = ["fri"], start = "25:00", end = "02:00" }])",
                  "shifts[1].start \"25:00\" is not HH:MM");
  expect_rejected(R"(shifts = [{ days = ["fri"], start = "18:00", end = "2:00" }])",
                  "shifts[0].end \"2:00\" is not HH:MM");
  expect_rejected(R"(shifts = [{ days = ["fri"], start = "18:60", end = "20:00" }])",
                  "shifts[0].start \"18:60\"");
  expect_rejected(R"(shifts = [{ days = ["fri"], start = 1800, end = "20:00" }])",
                  "shifts[0].start must be a string");
  expect_rejected(R"(shifts = [{ days = ["fri"], start = "18:00" }])",
                  "shifts[0]: missing field \"end\"");
  expect_rejected(R"(shifts = [{ start = "18:00", end = "20:00" }])",
                  "shifts[0]: missing field \"days\"");
  expect_rejected(R"(shifts = [{ days = [], start = "18:00", end = "20:00" }])",
                  "shifts[0].days must be a non-empty array");
  expect_rejected(R"(shifts = [{ days = ["mon", "Friday"], start = "18:00", end = "20:00" }])",
                  "shifts[0].days[1] is not a day name");
  expect_rejected(R"(shifts = [{ days = ["mon"], start = "18:00", stop = "20:00" }])",
                  "shifts[0]: unknown field \"stop\"");
  expect_rejected(R"(shifts = ["mon 18:00-20:00"])", "shifts[0] must be a table");
  expect_rejected(R"(shifts = { days = ["mon"] })", "\"shifts\" must be an array");
  expect_rejected("shifts = []", "\"shifts\" is empty");
  expect_rejected("standby = \"yes\"", "\"standby\" must be true or false");
}

TEST(Shifts, TimeOfDayAndWeekdayNames) {
  EXPECT_EQ(parse_time_of_day("00:00"), 0);
  EXPECT_EQ(parse_time_of_day("23:59"), 23 * 60 + 59);
  for (const char* bad : {"24:00", "9:00", "09:0", "09-00", "ab:cd", "", "09:00 "})
    EXPECT_EQ(parse_time_of_day(bad), std::nullopt) << bad;
  EXPECT_EQ(parse_weekday("sun"), 0);
  EXPECT_EQ(parse_weekday("sat"), 6);
  EXPECT_EQ(parse_weekday("Sat"), std::nullopt);
}

TEST(ShiftArithmetic, DayShiftCoversStartButNotEnd) {
  const Responder r = with_shifts(R"([{ days = ["mon"], start = "09:00", end = "17:00" }])");
  EXPECT_FALSE(on_call(r, at(kMon, 8, 59, 59)));
  EXPECT_TRUE(on_call(r, at(kMon, 9, 0)));
  EXPECT_TRUE(on_call(r, at(kMon, 16, 59, 59)));
  EXPECT_FALSE(on_call(r, at(kMon, 17, 0)));
  EXPECT_FALSE(on_call(r, at(kTue, 10, 0)));
}

TEST(ShiftArithmetic, OvernightShiftRunsIntoTheNextDay) {
  const Responder r = with_shifts(R"([{ days = ["fri"], start = "18:00", end = "02:00" }])");
  EXPECT_FALSE(on_call(r, at(kFri, 17, 59)));
  EXPECT_TRUE(on_call(r, at(kFri, 18, 0)));
  EXPECT_TRUE(on_call(r, at(kFri, 23, 59, 59)));
  EXPECT_TRUE(on_call(r, at(kSat, 1, 30)));  // "fri 18:00-02:00" covers Saturday 01:30
  EXPECT_FALSE(on_call(r, at(kSat, 2, 0)));
  EXPECT_FALSE(on_call(r, at(kSat, 18, 0)));  // Saturday is not a shift day
  EXPECT_FALSE(on_call(r, at(kFri, 1, 30)));  // Thursday night is not either
}

TEST(ShiftArithmetic, SaturdayNightShiftWrapsIntoSunday) {
  const Responder r = with_shifts(R"([{ days = ["sat"], start = "22:00", end = "06:00" }])");
  EXPECT_TRUE(on_call(r, at(kSun, 5, 59)));
  EXPECT_FALSE(on_call(r, at(kSun, 6, 0)));
  EXPECT_FALSE(on_call(r, at(kMon, 5, 0)));
}

TEST(ShiftArithmetic, EqualStartAndEndIsTwentyFourHours) {
  const Responder r = with_shifts(R"([{ days = ["mon"], start = "09:00", end = "09:00" }])");
  EXPECT_TRUE(on_call(r, at(kMon, 9, 0)));
  EXPECT_TRUE(on_call(r, at(kTue, 8, 59)));
  EXPECT_FALSE(on_call(r, at(kTue, 9, 0)));
  EXPECT_FALSE(on_call(r, at(kMon, 8, 59)));
}

TEST(ShiftArithmetic, AnyShiftSuffices) {
  const Responder r = with_shifts(
      R"([{ days = ["mon"], start = "09:00", end = "12:00" },
          { days = ["thu"], start = "20:00", end = "23:00" }])");
  EXPECT_TRUE(on_call(r, at(kMon, 11, 0)));
  EXPECT_TRUE(on_call(r, at(kThu, 21, 0)));
  EXPECT_FALSE(on_call(r, at(kThu, 11, 0)));
}

TEST(ShiftArithmetic, NoShiftsMeansAlwaysOnCall) {
  const Responder r = Roster::from_toml(responder("r", "")).responders().front();
  for (int day = 0; day < 7; ++day)
    for (int hour = 0; hour < 24; ++hour) EXPECT_TRUE(on_call(r, at(day, hour, 0)));
}

// LA springs forward on Sunday 2026-03-08: 01:59:59 PST is followed by 03:00:00 PDT.
TEST(ShiftArithmeticDst, SpringForwardNightShortensAShiftByTheMissingHour) {
  const Responder r = with_shifts(R"([{ days = ["sun"], start = "01:00", end = "03:00" }])");
  // 01:00 PST is 09:00 UTC; the wall clock reaches 03:00 an hour later.
  EXPECT_TRUE(on_call(r, utc(2026, 3, 8, 9, 0), los_angeles()));
  EXPECT_TRUE(on_call(r, utc(2026, 3, 8, 9, 59), los_angeles()));
  EXPECT_FALSE(on_call(r, utc(2026, 3, 8, 10, 0), los_angeles()));
  EXPECT_EQ(minutes_on_call(r, utc(2026, 3, 8, 6), utc(2026, 3, 8, 14)), 60);
  // A week later the same shift is two hours long.
  EXPECT_EQ(minutes_on_call(r, utc(2026, 3, 15, 6), utc(2026, 3, 15, 14)), 120);
}

TEST(ShiftArithmeticDst, SpringForwardOvernightShiftEndsOnTheWallClock) {
  // Saturday 22:00 PST (06:00 UTC Sunday) to Sunday 06:00 PDT (13:00 UTC): 7 real hours.
  const Responder r = with_shifts(R"([{ days = ["sat"], start = "22:00", end = "06:00" }])");
  EXPECT_EQ(minutes_on_call(r, utc(2026, 3, 7, 12), utc(2026, 3, 8, 20)), 7 * 60);
  EXPECT_TRUE(on_call(r, utc(2026, 3, 8, 12, 59), los_angeles()));  // 05:59 PDT
  EXPECT_FALSE(on_call(r, utc(2026, 3, 8, 13, 0), los_angeles()));  // 06:00 PDT
}

// LA falls back on Sunday 2026-11-01: 01:59:59 PDT is followed by 01:00:00 PST.
TEST(ShiftArithmeticDst, FallBackNightRepeatsTheHourOnShift) {
  const Responder r = with_shifts(R"([{ days = ["sun"], start = "01:00", end = "02:00" }])");
  EXPECT_TRUE(on_call(r, utc(2026, 11, 1, 8, 30), los_angeles()));   // 01:30 PDT
  EXPECT_TRUE(on_call(r, utc(2026, 11, 1, 9, 30), los_angeles()));   // 01:30 PST
  EXPECT_FALSE(on_call(r, utc(2026, 11, 1, 10, 0), los_angeles()));  // 02:00 PST
  EXPECT_EQ(minutes_on_call(r, utc(2026, 11, 1, 6), utc(2026, 11, 1, 14)), 120);
}

TEST(ShiftArithmeticDst, FallBackOvernightShiftLastsAnHourLonger) {
  // Saturday 22:00 PDT (05:00 UTC Sunday) to Sunday 06:00 PST (14:00 UTC): 9 real hours.
  const Responder r = with_shifts(R"([{ days = ["sat"], start = "22:00", end = "06:00" }])");
  EXPECT_EQ(minutes_on_call(r, utc(2026, 10, 31, 12), utc(2026, 11, 1, 20)), 9 * 60);
  EXPECT_TRUE(on_call(r, utc(2026, 11, 1, 13, 59), los_angeles()));  // 05:59 PST
  EXPECT_FALSE(on_call(r, utc(2026, 11, 1, 14, 0), los_angeles()));  // 06:00 PST
}

// The example roster loads; the demo responders are on call always, except José (weeknight and
// weekend-day shifts) and Teresa (standby, alerted only by an escalation's region step).
TEST(Shifts, TheExampleRosterLoadsWithItsShiftsAndStandby) {
  std::ifstream in(std::string(PUENTE_SOURCE_DIR) + "/config/roster.toml");
  ASSERT_TRUE(in);
  std::ostringstream text;
  text << in.rdbuf();
  const Roster roster = Roster::from_toml(text.str());
  ASSERT_FALSE(roster.responders().empty());
  const auto sunday_0130 = utc(2026, 3, 8, 9, 30);  // 01:30 PST, Sunday
  const auto monday_1900 = utc(2026, 3, 10, 2, 0);  // 19:00 PDT, Monday
  for (const auto& r : roster.responders()) {
    EXPECT_EQ(r.standby, r.id == "vol-teresa") << r.id;
    if (r.id == "obs-jose") {
      EXPECT_FALSE(on_call(r, sunday_0130, los_angeles()));
      EXPECT_TRUE(on_call(r, monday_1900, los_angeles()));
    } else {
      EXPECT_TRUE(on_call(r, sunday_0130, los_angeles())) << r.id;
    }
  }
  EXPECT_THAT(ids(on_call_for(roster, "boyle-heights", sunday_0130, los_angeles(), {})),
              ElementsAre("obs-maria", "vol-ana", "att-luis"));
}

// --- Who is alerted --------------------------------------------------------------------------

Roster boyle_heights_roster() {
  return Roster::from_toml(
      responder("obs-maria",
                "neighborhoods = [\"boyle-heights\"]\n"
                "shifts = [{ days = [\"mon\"], start = \"09:00\", end = \"17:00\" }]") +
      responder("obs-jose", "neighborhoods = [\"boyle-heights\", \"downtown\"]") +
      responder("vol-ana", "neighborhoods = [\"boyle-heights\"]\nstandby = true") +
      responder("att-luis", "neighborhoods = [\"downtown\"]") +
      responder("reserve-kim",
                "standby = true\n"
                "shifts = [{ days = [\"mon\"], start = \"18:00\", end = \"23:00\" }]") +
      "[[responder]]\nid = \"disp-rosa\"\nroles = [\"dispatcher\"]\ntoken_sha256 = \"" +
      sha256_hex("disp-rosa") +
      "\"\nshifts = [{ days = [\"mon\"], start = \"08:00\", end = \"20:00\" }]\n" +
      "[[responder]]\nid = \"disp-deshawn\"\nroles = [\"dispatcher\"]\ntoken_sha256 = \"" +
      sha256_hex("disp-deshawn") + "\"\n");
}

// Monday 2026-03-16: 10:00 PDT is 17:00 UTC; 19:00 PDT is 02:00 UTC Tuesday.
const auto kMondayMorning = utc(2026, 3, 16, 17);
const auto kMondayEvening = utc(2026, 3, 17, 2);

TEST(OnCallFor, OnShiftRespondersOfTheNeighborhoodInRosterOrder) {
  const Roster roster = boyle_heights_roster();
  EXPECT_THAT(ids(on_call_for(roster, "boyle-heights", kMondayMorning, los_angeles(), {})),
              ElementsAre("obs-maria", "obs-jose"));
  EXPECT_THAT(ids(on_call_for(roster, "boyle-heights", kMondayEvening, los_angeles(), {})),
              ElementsAre("obs-jose"));
  EXPECT_THAT(ids(on_call_for(roster, "downtown", kMondayEvening, los_angeles(), {})),
              ElementsAre("obs-jose", "att-luis"));
  EXPECT_THAT(on_call_for(roster, "venice", kMondayMorning, los_angeles(), {}), IsEmpty());
}

TEST(OnCallFor, AvailableOverrideAddsOffShiftAndStandbyResponders) {
  const Roster roster = boyle_heights_roster();
  const std::set<std::string> available = {"obs-maria", "vol-ana", "att-luis"};
  // att-luis does not cover boyle-heights: being available does not widen his area.
  EXPECT_THAT(ids(on_call_for(roster, "boyle-heights", kMondayEvening, los_angeles(), available)),
              ElementsAre("obs-maria", "obs-jose", "vol-ana"));
}

TEST(OnCallFor, StandbyResponderIsHeldBackFromFirstAlerts) {
  const Roster roster = boyle_heights_roster();
  // vol-ana has no shifts (always on call) but is standby.
  EXPECT_THAT(ids(on_call_for(roster, "boyle-heights", kMondayMorning, los_angeles(), {})),
              ::testing::Not(::testing::Contains("vol-ana")));
}

TEST(StandbyPool, ReachesStandbyCoveringTheAreaOrNoneOnShift) {
  const Roster roster = boyle_heights_roster();
  // reserve-kim covers no neighborhood (network-wide) and is on shift 18:00-23:00 Mondays.
  EXPECT_THAT(
      ids(standby_pool(roster, {"boyle-heights", "el-sereno"}, kMondayEvening, los_angeles(), {})),
      ElementsAre("vol-ana", "reserve-kim"));
  EXPECT_THAT(ids(standby_pool(roster, {"boyle-heights"}, kMondayMorning, los_angeles(), {})),
              ElementsAre("vol-ana"));
  EXPECT_THAT(ids(standby_pool(roster, {"venice"}, kMondayMorning, los_angeles(), {})), IsEmpty());
  EXPECT_THAT(ids(standby_pool(roster, {"venice"}, kMondayMorning, los_angeles(), {"reserve-kim"})),
              ElementsAre("reserve-kim"));
}

TEST(DispatchersOnCall, OnlyDispatchersOnShift) {
  const Roster roster = boyle_heights_roster();
  EXPECT_THAT(ids(dispatchers_on_call(roster, kMondayMorning, los_angeles(), {})),
              ElementsAre("disp-rosa", "disp-deshawn"));
  // 21:00 PDT Monday: disp-rosa's shift ended at 20:00.
  EXPECT_THAT(ids(dispatchers_on_call(roster, utc(2026, 3, 17, 4), los_angeles(), {})),
              ElementsAre("disp-deshawn"));
}

}  // namespace
}  // namespace puente::core
