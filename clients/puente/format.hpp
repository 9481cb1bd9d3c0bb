#pragma once
// How the CLI shows wire messages to a person: one line per list entry or live event, a short
// block for a whole incident. Times are local. --json bypasses all of this.

#include "puente/v1/puente.pb.h"

#include <google/protobuf/timestamp.pb.h>

#include <ctime>
#include <ostream>
#include <string>

namespace puente::cli {

// "2024-05-01 14:02:11" in local time; "-" for an unset timestamp.
std::string format_time(const google::protobuf::Timestamp& at);
// "14:02:11" in local time; "-" for an unset timestamp. For tables within one incident.
std::string format_clock(const google::protobuf::Timestamp& at);

// Enum names without the UNSPECIFIED noise ("?" instead).
std::string name_of(v1::IncidentStatus status);
std::string name_of(v1::ReportKind kind);
std::string name_of(v1::AlertType type);
std::string name_of(v1::AckState state);

// `report`: "incident inc-1 in boyle-heights (Boyle Heights): REPORTED"
std::string receipt_line(const v1::Incident& incident);
// `incidents`: id, status, kind, neighborhood, last change, where.
std::string incident_line(const v1::Incident& incident);
// `tail`: time, TYPE, neighborhood, text, (step N) for ESCALATE, [incident @ offset].
std::string alert_line(const v1::Alert& alert);
// `tail --board`: time, INCIDENT, neighborhood, what happened, [incident].
std::string event_line(const v1::IncidentEvent& event);
// `neighborhoods`, `locate`: slug, name, adjacent slugs.
std::string neighborhood_line(const v1::Neighborhood& neighborhood);

// `roster`: id, name, roles, [languages].
std::string responder_line(const v1::Responder& responder);
// `available`: "available until 23:40 (obs-maria)"; the date too unless `until` falls on the
// same local day as `now`.
std::string availability_line(const v1::Availability& availability, std::time_t now);

// `incident ID`: header (with corroboration and escalation when present), reports, alerts,
// acks, and the deliveries table when the server sent one (dispatchers only).
void print_incident(std::ostream& out, const v1::Incident& incident);
// `roster`: the time and zone, one block per neighborhood, the standby pool, the dispatchers.
void print_on_call(std::ostream& out, const v1::OnCall& on_call);

}  // namespace puente::cli
