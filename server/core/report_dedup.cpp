// Report dedup: a linear scan of the open incidents (a city has tens open at once, not
// thousands), each tested on kind, time, then distance, keeping the best match.

#include "core/report_dedup.hpp"

#include "core/bearer_token.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

namespace puente::core {

namespace {

constexpr double kEarthRadiusMeters = 6371008.8;  // IUGG mean radius

double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

// Is `candidate` a better match than `best` at the distances given? (See the header for why.)
bool better(const OpenIncident& candidate, double candidate_m, const OpenIncident& best,
            double best_m) {
  if (candidate_m != best_m) return candidate_m < best_m;
  if (candidate.last_report_at != best.last_report_at)
    return candidate.last_report_at > best.last_report_at;
  return candidate.id < best.id;
}

}  // namespace

double haversine_meters(GeoPoint a, GeoPoint b) {
  const double dlat = radians(b.lat - a.lat);
  const double dlon = radians(b.lon - a.lon);
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(radians(a.lat)) * std::cos(radians(b.lat)) * std::sin(dlon / 2) * std::sin(dlon / 2);
  // min() guards asin against rounding just above 1 for antipodal points.
  return 2 * kEarthRadiusMeters * std::asin(std::min(1.0, std::sqrt(h)));
}

const OpenIncident* find_corroborated(const IncomingReport& report,
                                      const std::vector<OpenIncident>& open,
                                      const DedupRule& rule) {
  if (report.kind == v1::REPORT_KIND_UNSPECIFIED) return nullptr;
  const OpenIncident* best = nullptr;
  double best_m = 0;
  for (const auto& incident : open) {
    if (incident.kind != report.kind) continue;
    // An incident without a recorded report time still has the one that opened it.
    const auto latest = std::max(incident.created_at, incident.last_report_at);
    if (report.at > latest + rule.window) continue;
    const double meters = haversine_meters(report.location, incident.location);
    // NaN coordinates fail this comparison and never match.
    if (!(meters <= rule.meters)) continue;
    if (!best || better(incident, meters, *best, best_m)) {
      best = &incident;
      best_m = meters;
    }
  }
  return best;
}

std::size_t independent_reporters(const std::vector<std::string>& reporter_ids) {
  std::set<std::string> distinct;
  for (const auto& id : reporter_ids)
    if (!id.empty()) distinct.insert(id);
  return distinct.size();
}

std::string reporter_identity(const v1::Report& report, const Responder& reporter) {
  if (!report.caller_hash().empty()) return "caller " + sha256_hex(report.caller_hash());
  const bool takes_calls = reporter.has_role(Role::operator_) ||
                           reporter.has_role(Role::dispatcher) || reporter.has_role(Role::admin);
  if (takes_calls) return "call " + report.id();
  return "responder " + reporter.id;
}

}  // namespace puente::core
