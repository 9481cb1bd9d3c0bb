#pragma once
// The keys one incident is made of (keys.hpp), filled into a script that reads it whole
// (lua/load_incident.lua) or purges it whole (lua/purge_incident.lua). Listed once: a key the
// incident gains is read and purged alike, never left behind by the retention.

#include "store/keys.hpp"
#include "store/script_call.hpp"

#include <string>

namespace puente::store {

// `Script` names the slots incident, reports, incident_alerts, acks, alerted, reporters,
// deliveries, states, pushes and texts.
template <class Script>
void add_incident_keys(ScriptCall<Script>& call, const Keys& keys, const std::string& id) {
  using Key = typename Script::Key;
  call.key(Key::incident, keys.incident(id))
      .key(Key::reports, keys.incident_reports(id))
      .key(Key::incident_alerts, keys.incident_alerts(id))
      .key(Key::acks, keys.incident_acks(id))
      .key(Key::alerted, keys.incident_alerted(id))
      .key(Key::reporters, keys.incident_reporters(id))
      .key(Key::deliveries, keys.incident_deliveries(id))
      .key(Key::states, keys.incident_ack_states(id))
      .key(Key::pushes, keys.incident_pushes(id))
      .key(Key::texts, keys.incident_texts(id));
}

}  // namespace puente::store
