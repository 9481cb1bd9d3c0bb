// Who is on call now: shifts against a wall-clock reading (see on_call.hpp for the DST rules).
//
// Shifts are whole minutes, so comparing the reading's minute of the day with the shift's
// bounds is exact: 17:00:30 is past a shift ending 17:00 because 17:00 is, too.

#include "core/on_call.hpp"

#include <algorithm>

namespace puente::core {

namespace {

bool listed(const std::set<std::string>& ids, const std::string& id) { return ids.count(id) > 0; }

bool available_now(const Responder& who, const LocalTime& now,
                   const std::set<std::string>& available) {
  return listed(available, who.id) || on_call(who, now);
}

}  // namespace

bool shift_covers(const Shift& shift, const LocalTime& now) {
  const int minute = now.hour * 60 + now.minute;
  const auto today = static_cast<std::size_t>(now.weekday);
  const auto yesterday = (today + 6) % 7;
  if (!shift.crosses_midnight())
    return shift.days[today] && minute >= shift.start_minute && minute < shift.end_minute;
  // Tonight's part, from the start to midnight, and the tail of last night's, up to the end.
  return (shift.days[today] && minute >= shift.start_minute) ||
         (shift.days[yesterday] && minute < shift.end_minute);
}

bool on_call(const Responder& who, const LocalTime& now) {
  return who.shifts.empty() ||
         std::any_of(who.shifts.begin(), who.shifts.end(),
                     [&](const Shift& shift) { return shift_covers(shift, now); });
}

bool on_call(const Responder& who, std::chrono::system_clock::time_point now,
             const TimeZone& zone) {
  return on_call(who, zone.to_local(now));
}

std::vector<const Responder*> on_call_for(const Roster& roster, std::string_view neighborhood,
                                          std::chrono::system_clock::time_point now,
                                          const TimeZone& zone,
                                          const std::set<std::string>& available) {
  return on_call_among(roster, roster.covering(neighborhood), now, zone, available);
}

std::vector<const Responder*> on_call_among(const Roster& roster,
                                            const std::vector<std::size_t>& covering,
                                            std::chrono::system_clock::time_point now,
                                            const TimeZone& zone,
                                            const std::set<std::string>& available) {
  const LocalTime local = zone.to_local(now);
  std::vector<const Responder*> out;
  out.reserve(covering.size());
  for (std::size_t index : covering) {
    const Responder& r = roster.responders()[index];
    const bool alerted = r.standby ? listed(available, r.id) : available_now(r, local, available);
    if (alerted) out.push_back(&r);
  }
  return out;
}

std::vector<const Responder*> standby_pool(const Roster& roster,
                                           const std::vector<std::string>& neighborhoods,
                                           std::chrono::system_clock::time_point now,
                                           const TimeZone& zone,
                                           const std::set<std::string>& available) {
  const LocalTime local = zone.to_local(now);
  std::vector<const Responder*> out;
  for (const auto& r : roster.responders()) {
    if (!r.standby || !available_now(r, local, available)) continue;
    const bool reaches = r.neighborhoods.empty() ||
                         std::any_of(neighborhoods.begin(), neighborhoods.end(),
                                     [&](const std::string& slug) { return r.covers(slug); });
    if (reaches) out.push_back(&r);
  }
  return out;
}

std::vector<const Responder*> dispatchers_on_call(const Roster& roster,
                                                  std::chrono::system_clock::time_point now,
                                                  const TimeZone& zone,
                                                  const std::set<std::string>& available) {
  const LocalTime local = zone.to_local(now);
  std::vector<const Responder*> out;
  for (const auto& r : roster.responders())
    if (r.has_role(Role::dispatcher) && available_now(r, local, available)) out.push_back(&r);
  return out;
}

}  // namespace puente::core
