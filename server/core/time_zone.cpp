// Time zones from TZif files (RFC 8536), with the POSIX TZ rule of the footer.
//
// Data structures:
//   transitions       UTC seconds at which local time changes, ascending (the 64-bit table of a
//                     v2+ file, else the 32-bit one)
//   transition_types  transition_types[i] indexes `types`: the local time from transitions[i] on
//   types             local time types: UTC offset, DST flag, abbreviation
//   footer            the POSIX TZ rule for instants after the last transition (v2+), if any
//
// An instant before the first transition takes type 0 (RFC 8536 section 3.2); after the last it
// takes the footer's rule, or the last transition's type when the footer is empty.

#include "core/time_zone.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace puente::core {

namespace {

namespace chr = std::chrono;

struct LocalType {
  std::int32_t utoff = 0;  // seconds east of UTC
  bool is_dst = false;
  std::string abbreviation;
};

// A date rule of a POSIX TZ string: "Jn" (1..365, February 29 never counted), "n" (0..365,
// counted) or "Mm.w.d" (day d of week w of month m; week 5 means the last), plus the local time
// of day of the change in seconds (default 02:00; RFC 8536 allows -167 to 167 hours).
struct DateRule {
  enum class Kind { julian_no_leap, zero_based, month_week_day } kind = Kind::month_week_day;
  int n = 0;
  int month = 0, week = 0, weekday = 0;
  std::int32_t time = 2 * 3600;
};

struct PosixTz {
  LocalType standard;
  std::optional<LocalType> dst;  // with `start` and `end` when set
  DateRule start, end;
};

// Instants are clamped to about +-3000 years around 1970 so that calendar arithmetic can neither
// overflow nor leave the range of std::chrono::year (+-32767).
constexpr std::int64_t kMaxAbsSeconds = 100'000'000'000;

[[noreturn]] void fail(std::string_view zone, const std::string& what) {
  throw std::runtime_error("time zone \"" + std::string(zone) + "\": " + what);
}

// --- POSIX TZ strings ---------------------------------------------------------------------------

class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  std::optional<PosixTz> parse() {
    PosixTz tz;
    if (!name(tz.standard.abbreviation)) return std::nullopt;
    const auto std_offset = offset(24);
    if (!std_offset) return std::nullopt;
    tz.standard.utoff = -*std_offset;  // POSIX counts west of Greenwich as positive
    if (done()) return tz;

    LocalType dst{tz.standard.utoff + 3600, true, {}};
    if (!name(dst.abbreviation)) return std::nullopt;
    if (!done() && peek() != ',') {
      const auto dst_offset = offset(24);
      if (!dst_offset) return std::nullopt;
      dst.utoff = -*dst_offset;
    }
    // TZif footers always carry the rule; a DST name without one is not worth guessing at.
    if (!eat(',') || !rule(tz.start) || !eat(',') || !rule(tz.end) || !done()) return std::nullopt;
    tz.dst = std::move(dst);
    return tz;
  }

 private:
  bool done() const { return pos_ == text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

  // "PST", or "<-03>" / "<+0530>" for names that are not all letters.
  bool name(std::string& out) {
    const std::size_t begin = pos_;
    if (eat('<')) {
      while (!done() && peek() != '>') ++pos_;
      if (!eat('>')) return false;
      out = std::string(text_.substr(begin + 1, pos_ - begin - 2));
    } else {
      while (is_alpha(peek())) ++pos_;
      out = std::string(text_.substr(begin, pos_ - begin));
    }
    return out.size() >= 3;
  }

  std::optional<int> number(int max) {
    if (!is_digit(peek())) return std::nullopt;
    int value = 0;
    while (is_digit(peek())) {
      value = value * 10 + (text_[pos_++] - '0');
      if (value > max) return std::nullopt;
    }
    return value;
  }

  // [+-]hh[:mm[:ss]] in seconds, hours up to `max_hours`.
  std::optional<std::int32_t> offset(int max_hours) {
    const bool negative = eat('-');
    if (!negative) eat('+');
    const auto hours = number(max_hours);
    if (!hours) return std::nullopt;
    std::int32_t seconds = *hours * 3600;
    if (eat(':')) {
      const auto minutes = number(59);
      if (!minutes) return std::nullopt;
      seconds += *minutes * 60;
      if (eat(':')) {
        const auto secs = number(59);
        if (!secs) return std::nullopt;
        seconds += *secs;
      }
    }
    return negative ? -seconds : seconds;
  }

  bool rule(DateRule& out) {
    if (eat('M')) {
      out.kind = DateRule::Kind::month_week_day;
      const auto m = number(12);
      if (!m || *m < 1 || !eat('.')) return false;
      const auto w = number(5);
      if (!w || *w < 1 || !eat('.')) return false;
      const auto d = number(6);
      if (!d) return false;
      out.month = *m, out.week = *w, out.weekday = *d;
    } else if (eat('J')) {
      out.kind = DateRule::Kind::julian_no_leap;
      const auto n = number(365);
      if (!n || *n < 1) return false;
      out.n = *n;
    } else {
      out.kind = DateRule::Kind::zero_based;
      const auto n = number(365);
      if (!n) return false;
      out.n = *n;
    }
    if (eat('/')) {
      const auto time = offset(167);
      if (!time) return false;
      out.time = *time;
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// Days since 1970-01-01 of the date `rule` names in `year`.
std::int64_t rule_day(const DateRule& rule, int year) {
  const chr::year y{year};
  const std::int64_t jan1 = chr::sys_days{y / chr::January / 1}.time_since_epoch().count();
  switch (rule.kind) {
    case DateRule::Kind::julian_no_leap:
      return jan1 + rule.n - 1 + (y.is_leap() && rule.n >= 60 ? 1 : 0);
    case DateRule::Kind::zero_based: return jan1 + rule.n;
    case DateRule::Kind::month_week_day: break;
  }
  const chr::month m{static_cast<unsigned>(rule.month)};
  const chr::sys_days first{y / m / 1};
  const unsigned first_weekday = chr::weekday{first}.c_encoding();
  int day = 1 + (rule.weekday - static_cast<int>(first_weekday) + 7) % 7 + (rule.week - 1) * 7;
  const int last = static_cast<int>(static_cast<unsigned>((y / m / chr::last).day()));
  while (day > last) day -= 7;  // week 5 is "the last such weekday of the month"
  return first.time_since_epoch().count() + day - 1;
}

const LocalType& posix_type_at(const PosixTz& tz, std::int64_t t) {
  if (!tz.dst) return tz.standard;
  // The year of the instant in standard time; each change is written in the local time in
  // force just before it: the start in standard time, the end in daylight time.
  const auto days = chr::floor<chr::days>(chr::sys_seconds{chr::seconds{t + tz.standard.utoff}});
  const int year = static_cast<int>(chr::year_month_day{days}.year());
  const std::int64_t start = rule_day(tz.start, year) * 86400 + tz.start.time - tz.standard.utoff;
  const std::int64_t end = rule_day(tz.end, year) * 86400 + tz.end.time - tz.dst->utoff;
  // Northern zones have DST inside the year; southern ones (start after end) across its turn.
  const bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return in_dst ? *tz.dst : tz.standard;
}

// --- TZif ---------------------------------------------------------------------------------------

class ByteReader {
 public:
  ByteReader(std::string_view zone, std::string_view bytes) : zone_(zone), bytes_(bytes) {}

  std::string_view take(std::size_t n) {
    if (n > bytes_.size() - pos_) fail(zone_, "not a valid TZif file (truncated)");
    const auto out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::int64_t be(std::size_t width) {  // big-endian two's complement, 4 or 8 bytes
    std::uint64_t value = 0;
    for (char c : take(width)) value = (value << 8) | static_cast<std::uint8_t>(c);
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    return static_cast<std::int64_t>(value);
  }
  std::string_view rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view zone_;
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct Counts {
  std::size_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

// The 44-byte header; returns the version character ('\0' for version 1).
char read_header(ByteReader& in, std::string_view zone, Counts& counts) {
  if (in.take(4) != "TZif") fail(zone, "not a TZif file (bad magic)");
  const char version = static_cast<char>(in.u8());
  in.take(15);
  std::size_t* fields[] = {&counts.isut, &counts.isstd, &counts.leap,
                           &counts.time, &counts.type,  &counts.chars};
  for (std::size_t* field : fields) {
    const std::int64_t n = in.be(4);
    // A real zone has a few hundred transitions; a huge count is a corrupt file.
    if (n < 0 || n > 100'000) fail(zone, "not a valid TZif file (bad counts)");
    *field = static_cast<std::size_t>(n);
  }
  if (counts.type == 0 || counts.chars == 0)
    fail(zone, "not a valid TZif file (no local time types)");
  return version;
}

std::size_t block_size(const Counts& c, std::size_t time_bytes) {
  return c.time * (time_bytes + 1) + c.type * 6 + c.chars + c.leap * (time_bytes + 4) + c.isstd +
         c.isut;
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  std::vector<std::int64_t> transitions;
  std::vector<std::uint8_t> transition_types;
  std::vector<LocalType> types;
  std::optional<PosixTz> footer;

  const LocalType& type_at(std::int64_t t) const;
  void read_block(ByteReader& in, const Counts& counts, std::size_t time_bytes);
};

void TimeZone::Data::read_block(ByteReader& in, const Counts& counts, std::size_t time_bytes) {
  transitions.resize(counts.time);
  transition_types.resize(counts.time);
  for (auto& t : transitions) t = in.be(time_bytes);
  for (auto& i : transition_types) {
    i = in.u8();
    if (i >= counts.type) fail(name, "not a valid TZif file (bad type index)");
  }
  if (!std::is_sorted(transitions.begin(), transitions.end()))
    fail(name, "not a valid TZif file (transitions out of order)");

  std::vector<std::size_t> designation_index(counts.type);
  types.resize(counts.type);
  for (std::size_t i = 0; i < counts.type; ++i) {
    types[i].utoff = static_cast<std::int32_t>(in.be(4));
    types[i].is_dst = in.u8() != 0;
    designation_index[i] = in.u8();
    // RFC 8536 forbids -2^31; anything beyond a day is nonsense for a city.
    if (types[i].utoff < -26 * 3600 || types[i].utoff > 26 * 3600)
      fail(name, "not a valid TZif file (UTC offset out of range)");
  }
  const std::string_view chars = in.take(counts.chars);
  for (std::size_t i = 0; i < counts.type; ++i) {
    if (designation_index[i] >= chars.size())
      fail(name, "not a valid TZif file (bad abbreviation index)");
    const std::string_view tail = chars.substr(designation_index[i]);
    types[i].abbreviation = std::string(tail.substr(0, tail.find('\0')));
  }
  // Leap second records and the standard/UT indicators do not affect local time.
  in.take(counts.leap * (time_bytes + 4) + counts.isstd + counts.isut);
}

const LocalType& TimeZone::Data::type_at(std::int64_t t) const {
  if (transitions.empty()) return footer ? posix_type_at(*footer, t) : types[0];
  if (t < transitions.front()) return types[0];
  if (t > transitions.back() && footer) return posix_type_at(*footer, t);
  const auto after = std::upper_bound(transitions.begin(), transitions.end(), t);
  return types[transition_types[static_cast<std::size_t>(after - transitions.begin()) - 1]];
}

TimeZone TimeZone::from_tzif(std::string_view name, std::string_view bytes) {
  auto data = std::make_unique<Data>();
  data->name = std::string(name);
  ByteReader in(name, bytes);
  Counts counts;
  const char version = read_header(in, name, counts);
  if (version == '\0') {
    data->read_block(in, counts, 4);
    return TimeZone(std::move(data));
  }
  // Version 2+: skip the 32-bit block, read the 64-bit one and the footer after it.
  in.take(block_size(counts, 4));
  read_header(in, name, counts);
  data->read_block(in, counts, 8);

  const std::string_view rest = in.rest();
  if (rest.size() < 2 || rest[0] != '\n')
    fail(name, "not a valid TZif file (no footer after version 2+ data)");
  const std::size_t close = rest.find('\n', 1);
  if (close == std::string_view::npos) fail(name, "not a valid TZif file (unterminated footer)");
  const std::string_view tz = rest.substr(1, close - 1);
  if (!tz.empty()) {
    data->footer = PosixParser(tz).parse();
    if (!data->footer) fail(name, "unsupported POSIX TZ footer \"" + std::string(tz) + "\"");
  }
  return TimeZone(std::move(data));
}

TimeZone TimeZone::load(std::string_view name, const std::filesystem::path& directory) {
  // A zone name is a relative path of plain components: never let one climb out of the folder.
  const bool plain =
      !name.empty() && name.front() != '/' && name.find("..") == std::string_view::npos &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '/' || c == '_' || c == '-' || c == '+';
      });
  if (!plain) fail(name, "not a time zone name (expected an IANA name like America/Los_Angeles)");

  const std::filesystem::path path = directory / std::filesystem::path(std::string(name));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    fail(name,
         "unknown time zone: no file " + path.string() + " (is the tzdata package installed?)");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) fail(name, "cannot read " + path.string());
  return from_tzif(name, bytes.str());
}

TimeZone TimeZone::utc() {
  auto data = std::make_unique<Data>();
  data->name = "UTC";
  data->types.push_back(LocalType{0, false, "UTC"});
  return TimeZone(std::move(data));
}

TimeZone::TimeZone(std::unique_ptr<Data> data) : data_(std::move(data)) {}
TimeZone::TimeZone(const TimeZone& other) : data_(std::make_unique<Data>(*other.data_)) {}
TimeZone& TimeZone::operator=(const TimeZone& other) {
  if (this != &other) data_ = std::make_unique<Data>(*other.data_);
  return *this;
}
TimeZone::TimeZone(TimeZone&&) noexcept = default;
TimeZone& TimeZone::operator=(TimeZone&&) noexcept = default;
TimeZone::~TimeZone() = default;

const std::string& TimeZone::name() const { return data_->name; }

LocalTime TimeZone::to_local(chr::system_clock::time_point at) const {
  return to_local(chr::floor<chr::seconds>(at).time_since_epoch().count());
}

LocalTime TimeZone::to_local(std::int64_t unix_seconds) const {
  const std::int64_t t = std::clamp(unix_seconds, -kMaxAbsSeconds, kMaxAbsSeconds);
  const LocalType& type = data_->type_at(t);
  const chr::sys_seconds local{chr::seconds{t + type.utoff}};
  const auto days = chr::floor<chr::days>(local);
  const chr::year_month_day date{days};
  const chr::hh_mm_ss<chr::seconds> time{local - days};

  LocalTime out;
  out.year = static_cast<int>(date.year());
  out.month = static_cast<int>(static_cast<unsigned>(date.month()));
  out.day = static_cast<int>(static_cast<unsigned>(date.day()));
  out.weekday = static_cast<int>(chr::weekday{days}.c_encoding());
  out.hour = static_cast<int>(time.hours().count());
  out.minute = static_cast<int>(time.minutes().count());
  out.second = static_cast<int>(time.seconds().count());
  out.utc_offset = chr::seconds{type.utoff};
  out.is_dst = type.is_dst;
  out.abbreviation = type.abbreviation;
  return out;
}

}  // namespace puente::core
