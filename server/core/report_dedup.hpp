#pragma once
// Report dedup: does a new report corroborate an open incident, or open its own?
//
// Three callers reporting the same raid should make one incident seen by three reporters, not
// three incidents. A report corroborates an open incident when it is of the same kind, lies
// within `meters` of the incident's location (great-circle distance) and arrives within
// `window` of the incident's latest report. When several match, the nearest wins; on a tie in
// distance, the most recently reported, then the lowest id, so every node picks the same one.

#include "core/roster.hpp"
#include "puente/v1/puente.pb.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace puente::core {

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

// Great-circle (haversine) distance in metres on a sphere of the Earth's mean radius (6371 km);
// within 0.5 % of the ellipsoid, far finer than a dedup radius needs.
double haversine_meters(GeoPoint a, GeoPoint b);

struct DedupRule {
  double meters = 300;
  std::chrono::seconds window{30 * 60};
};

struct OpenIncident {
  std::string id;
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;
  GeoPoint location;  // where it is now (an update may have moved it)
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point last_report_at;  // the latest report attached to it
};

struct IncomingReport {
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;
  GeoPoint location;
  std::chrono::system_clock::time_point at;
};

// The incident among `open` that `report` corroborates, or nullptr: a new incident. A report
// time before the incident's latest report (nodes' clocks differ a little) counts as within the
// window. An unspecified kind matches nothing.
const OpenIncident* find_corroborated(const IncomingReport& report,
                                      const std::vector<OpenIncident>& open, const DedupRule& rule);

// How many independent reporters an incident has: distinct non-empty reporter ids among its
// reports' `reporter_ids`.
std::size_t independent_reporters(const std::vector<std::string>& reporter_ids);

// Who `report` counts as among its incident's independent reporters (issue 20). Where the
// caller's number was given, the caller: its keyed hash ("caller <hash>"), however many desks
// log their calls. Else a call-taker (operator, dispatcher, admin) who logs a call without a
// number logs another caller ("call <report id>"), so ten calls taken at one desk are not one
// reporter; anyone else (a legal observer) reports what they saw themselves and counts as
// themselves ("responder <id>") however often they report.
std::string reporter_identity(const v1::Report& report, const Responder& reporter);

}  // namespace puente::core
