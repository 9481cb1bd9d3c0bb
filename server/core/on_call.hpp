#pragma once
// Who is on call now: the roster's weekly shifts read against the network's wall clock.
//
// Shifts are wall-clock times in the network's zone (default America/Los_Angeles), so they
// follow the clocks on the nights they change instead of drifting by an hour:
//   - spring forward (LA 2026-03-08, 02:00 PST -> 03:00 PDT): the hour 02:00-02:59 never
//     happens, so a shift 01:00-03:00 that night lasts one real hour;
//   - fall back (LA 2026-11-01, 02:00 PDT -> 01:00 PST): 01:00-01:59 happens twice and is on
//     shift both times, so a shift 01:00-02:00 that night lasts two real hours.
// Nobody has to edit the roster twice a year, and a shift always ends when the wall clock says.
//
// The standby pool (roster `standby = true`) is the network's reserve: held back from the first
// alerts of their neighborhoods and called in by the escalation's region step (see
// escalation_plan.hpp). A standby responder who set themselves available is alerted like
// everyone else.

#include "core/roster.hpp"
#include "core/time_zone.hpp"

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

// Does `shift` cover the wall-clock time `now`? (A shift that crosses midnight covers the early
// hours of the day after each of its days.)
bool shift_covers(const Shift& shift, const LocalTime& now);

// Is `who` on shift at `now`? True always for a responder with no shifts.
bool on_call(const Responder& who, const LocalTime& now);
bool on_call(const Responder& who, std::chrono::system_clock::time_point now, const TimeZone& zone);

// Who gets the alerts of `neighborhood` now, in roster order: responders covering it who are on
// shift now, or whose id is in `available` (they set themselves available from the observer
// page or the CLI). Standby responders only through `available`. Every role is returned; which
// roles an alert type reaches is alert_audience()'s business.
std::vector<const Responder*> on_call_for(const Roster& roster, std::string_view neighborhood,
                                          std::chrono::system_clock::time_point now,
                                          const TimeZone& zone,
                                          const std::set<std::string>& available);
// The same from `covering` (Roster::covering or covering_by_id), in its order.
std::vector<const Responder*> on_call_among(const Roster& roster,
                                            const std::vector<std::size_t>& covering,
                                            std::chrono::system_clock::time_point now,
                                            const TimeZone& zone,
                                            const std::set<std::string>& available);

// The standby pool an escalation reaching `neighborhoods` calls in, in roster order: standby
// responders on shift now (or in `available`) who cover one of `neighborhoods`, or who cover
// none at all (a network-wide reserve).
std::vector<const Responder*> standby_pool(const Roster& roster,
                                           const std::vector<std::string>& neighborhoods,
                                           std::chrono::system_clock::time_point now,
                                           const TimeZone& zone,
                                           const std::set<std::string>& available);

// Dispatchers to page now (the escalation's last resort), in roster order: responders with the
// dispatcher role on shift now or in `available`.
std::vector<const Responder*> dispatchers_on_call(const Roster& roster,
                                                  std::chrono::system_clock::time_point now,
                                                  const TimeZone& zone,
                                                  const std::set<std::string>& available);

}  // namespace puente::core
