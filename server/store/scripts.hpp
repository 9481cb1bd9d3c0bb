#pragma once
// The Lua scripts that read and change incidents in Redis. Each change to an incident is one
// script, so it happens whole or not at all: the status, the alerts in the neighborhoods'
// histories and their PUBLISH, the incident's own lists and the board event never disagree.
// The argument lists are built in incident_store.cpp, next to the comments naming each slot.
// Some scripts touch keys they derive from a prefix (ARGV) rather than declare in KEYS: fine
// for one Redis with Sentinel, not for Redis Cluster.

#include "redis/script.hpp"

namespace puente::store::scripts {

const redis::Script& open_incident();
const redis::Script& attach_report();
const redis::Script& advance_incident();
const redis::Script& escalate_incident();
const redis::Script& record_ack();
const redis::Script& load_alerts();
const redis::Script& load_incident();
const redis::Script& list_incidents();
const redis::Script& recovery_check();
const redis::Script& save_token();
const redis::Script& append_audit();
const redis::Script& purge_incident();
const redis::Script& mark_evidence();
const redis::Script& prune_presence();
const redis::Script& read_availability();
const redis::Script& set_availability();

}  // namespace puente::store::scripts
