#include "core/input_rules.hpp"

#include "core/ids.hpp"

#include <cmath>

namespace puente::core {

namespace {

std::optional<InputError> too_long(const std::string& value, std::size_t limit, const char* field) {
  if (value.size() <= limit) return std::nullopt;
  return InputError{"too_long",
                    std::string(field) + " is over " + std::to_string(limit) + " bytes"};
}

bool printable_token(const std::string& value) {
  for (unsigned char c : value)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

std::optional<InputError> check_idempotency_key(const std::string& key) {
  if (auto e = too_long(key, max_idempotency_key_bytes, "idempotencyKey")) return e;
  if (!printable_token(key))
    return InputError{"bad_idempotency_key",
                      "idempotencyKey must be printable ASCII without spaces"};
  return std::nullopt;
}

}  // namespace

bool has_location(const v1::Report& report) {
  return report.has_location() && !(report.location().lat() == 0 && report.location().lon() == 0);
}

std::optional<InputError> check_report(const v1::Report& report) {
  if (report.kind() == v1::REPORT_KIND_UNSPECIFIED)
    return InputError{"missing_kind",
                      "kind is required (RAID, CHECKPOINT, ARREST, PATROL, SURVEILLANCE, OTHER)"};
  // proto3 keeps an enum number it does not know (JSON {"kind": 99} parses): it is no kind.
  if (!v1::ReportKind_IsValid(report.kind()))
    return InputError{"bad_kind",
                      "kind must be RAID, CHECKPOINT, ARREST, PATROL, SURVEILLANCE or OTHER"};
  if (!has_location(report) && report.neighborhood().empty())
    return InputError{"missing_location", "location (lat, lon) or neighborhood is required"};
  if (has_location(report)) {
    double lat = report.location().lat(), lon = report.location().lon();
    if (!std::isfinite(lat) || lat < -90 || lat > 90)
      return InputError{"bad_location", "location.lat must be between -90 and 90"};
    if (!std::isfinite(lon) || lon < -180 || lon > 180)
      return InputError{"bad_location", "location.lon must be between -180 and 180"};
  }
  if (auto e = too_long(report.description(), max_description_bytes, "description")) return e;
  if (auto e = too_long(report.location().description(), max_place_bytes, "location.description"))
    return e;
  if (auto e = too_long(report.language(), max_language_bytes, "language")) return e;
  if (auto e = check_idempotency_key(report.idempotency_key())) return e;
  return std::nullopt;
}

std::optional<InputError> check_ack(const v1::Ack& ack) {
  if (ack.alert_id().empty()) return InputError{"missing_alert", "alertId is required"};
  if (ack.incident_id().empty()) return InputError{"missing_incident", "incidentId is required"};
  if (ack.state() == v1::ACK_STATE_UNSPECIFIED)
    return InputError{"missing_state",
                      "state is required (RECEIVED, EN_ROUTE, ON_SCENE, DECLINED, UNAVAILABLE, "
                      "ALL_OK, OUT_SAFE, NEED_HELP)"};
  if (!v1::AckState_IsValid(ack.state()))
    return InputError{"bad_state",
                      "state must be RECEIVED, EN_ROUTE, ON_SCENE, DECLINED, UNAVAILABLE, ALL_OK, "
                      "OUT_SAFE or NEED_HELP"};
  // A shared location (kept for a help call): a real point, or none.
  if (ack.has_location()) {
    const auto& l = ack.location();
    if (!std::isfinite(l.lat()) || !std::isfinite(l.lon()) || l.lat() < -90 || l.lat() > 90 ||
        l.lon() < -180 || l.lon() > 180)
      return InputError{"bad_location", "location needs lat in [-90, 90] and lon in [-180, 180]"};
    if (auto e = too_long(l.description(), max_place_bytes, "location.description")) return e;
  }
  if (auto e = too_long(ack.note(), max_note_bytes, "note")) return e;
  if (auto e = check_idempotency_key(ack.idempotency_key())) return e;
  // Ids the server made, or nothing: checked here, before any I/O, so an ack naming no real
  // alert is refused even while Redis is away and would otherwise wait in the journal.
  if (!valid_id("inc", ack.incident_id()))
    return InputError{"bad_incident_id", "incidentId must look like inc-0123456789abcdef"};
  if (!valid_id("al", ack.alert_id()))
    return InputError{"bad_alert_id", "alertId must look like al-0123456789abcdef"};
  return std::nullopt;
}

}  // namespace puente::core
