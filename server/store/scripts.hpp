#pragma once
// The Lua scripts that change Redis. Each change to an incident is one script, so it happens
// whole or not at all: the status, the alert in the neighborhood's history and its PUBLISH,
// the incident's own lists and the board event can never disagree.

#include "redis/script.hpp"

namespace puente::store::scripts {

// KEYS: idem, incident, reports, incidents, open, report log, alert history, incident alerts
// ARGV: id, incident pb, report pb, status, created ms, alert pb, live channel, board channel,
//       event pb, idem value ("" for none), idem ttl s, history max length, neighborhood, report id
// -> {"repeat", "<incident id> <report id>"} | {"ok", offset}
const redis::Script& open_incident();

// KEYS: incident, open, alert history, incident alerts
// ARGV: expected status, new status, updated ms, alert pb, live channel, board channel,
//       event pb, history max length, id, closes ("1"/"0")
// -> {"not_found"} | {"conflict", status} | {"ok", offset}
const redis::Script& advance_incident();

// KEYS: incident, incident acks, ack log
// ARGV: ack pb, board channel, event pb, incident id
// -> {"not_found"} | {"ok", log id}
const redis::Script& record_ack();

// KEYS: incident, reports, alerts, acks
// -> {} | {pb, status, updated_ms, {reports...}, {tagged alerts...}, {acks...}}
const redis::Script& load_incident();

// KEYS: the index to read (incidents or incidents:open); ARGV: how many, key prefix
// -> {{pb, status, updated_ms}, ...} newest first
const redis::Script& list_incidents();

}  // namespace puente::store::scripts
