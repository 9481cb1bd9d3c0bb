#pragma once
// Time zones: UTC instants to the wall-clock time of an IANA zone ("America/Los_Angeles").
//
// libstdc++ 12 has the C++20 calendar types but no usable time zone database, so a zone is read
// from its compiled TZif file (RFC 8536) in /usr/share/zoneinfo (Debian package `tzdata`):
// the 64-bit transition table of a version 2+ file, its local time types, and the POSIX TZ
// string of its footer ("PST8PDT,M3.2.0,M11.1.0"), which rules every instant after the last
// transition. Version 1 files (32-bit only, no footer) are read too. Leap seconds ("right/"
// zones) are ignored: Puente counts POSIX time, like the system clock.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace puente::core {

// A wall-clock reading in some zone.
struct LocalTime {
  int year = 1970;
  int month = 1;                       // 1..12
  int day = 1;                         // 1..31
  int weekday = 4;                     // 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday)
  int hour = 0;                        // 0..23
  int minute = 0;                      // 0..59
  int second = 0;                      // 0..59
  std::chrono::seconds utc_offset{0};  // local = UTC + offset: -8 h for PST, -7 h for PDT
  bool is_dst = false;
  std::string abbreviation;  // "PST", "PDT"; may be empty for a zone that names none

  int seconds_of_day() const { return (hour * 60 + minute) * 60 + second; }
};

class TimeZone {
 public:
  // Where TZif files are looked for unless a caller says otherwise.
  static constexpr std::string_view kDefaultDirectory = "/usr/share/zoneinfo";

  // Reads <directory>/<name>. Throws std::runtime_error naming the zone when the name is not a
  // plain zone name, the file is missing (is tzdata installed?) or it is not valid TZif.
  static TimeZone load(std::string_view name,
                       const std::filesystem::path& directory = kDefaultDirectory);

  // Parses the bytes of a TZif file; `name` is only for messages and name().
  static TimeZone from_tzif(std::string_view name, std::string_view bytes);

  // A fixed zone at offset 0, named "UTC".
  static TimeZone utc();

  TimeZone(const TimeZone&);
  TimeZone& operator=(const TimeZone&);
  TimeZone(TimeZone&&) noexcept;
  TimeZone& operator=(TimeZone&&) noexcept;
  ~TimeZone();

  const std::string& name() const;

  LocalTime to_local(std::chrono::system_clock::time_point at) const;
  // The same for a count of seconds since the Unix epoch.
  LocalTime to_local(std::int64_t unix_seconds) const;

 private:
  struct Data;
  explicit TimeZone(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

}  // namespace puente::core
