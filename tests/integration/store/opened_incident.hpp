#pragma once
// The incident store tests open as a report would (IncidentStore::open): inc-1, a raid in Boyle
// Heights reported by rep-1, with the alerts the test gives it. One place, so each test says
// only what its alerts are.

#include "store/incident_store.hpp"

#include "core/clock.hpp"

#include <chrono>
#include <future>
#include <initializer_list>
#include <string>
#include <vector>

namespace puente::test {

// An alert of inc-1 for Boyle Heights, sent at `sent` to `recipients`.
inline v1::Alert boyle_heights_alert(const std::string& id,
                                     std::chrono::system_clock::time_point sent,
                                     std::initializer_list<const char*> recipients) {
  v1::Alert alert;
  alert.set_id(id);
  alert.set_incident_id("inc-1");
  alert.set_neighborhood("boyle-heights");
  *alert.mutable_sent_at() = core::to_timestamp(sent);
  for (const char* responder : recipients) alert.add_recipients(responder);
  return alert;
}

// inc-1's first two alerts, sent at `sent` to obs-a and obs-b: al-1 the VERIFY, al-2 an UPDATE.
inline std::vector<v1::Alert> verify_then_update(std::chrono::system_clock::time_point sent) {
  std::vector<v1::Alert> alerts;
  for (int i = 0; i < 2; ++i) {
    alerts.push_back(boyle_heights_alert("al-" + std::to_string(i + 1), sent, {"obs-a", "obs-b"}));
    alerts[i].set_type(i == 0 ? v1::VERIFY : v1::UPDATE);
  }
  return alerts;
}

// Opens inc-1 at `created` with report rep-1 (`description`) and `alerts`: the store's outcome.
inline store::Outcome open_incident_with(store::IncidentStore& store,
                                         const std::vector<v1::Alert>& alerts,
                                         std::chrono::system_clock::time_point created,
                                         const std::string& description = "") {
  v1::Incident incident;
  incident.set_id("inc-1");
  incident.set_neighborhood("boyle-heights");
  incident.set_status(v1::REPORTED);
  incident.set_kind(v1::RAID);
  *incident.mutable_created_at() = core::to_timestamp(created);
  v1::Report report;
  report.set_id("rep-1");
  report.set_kind(v1::RAID);
  report.set_description(description);
  std::promise<store::Outcome> opened;
  store.open(incident, report, report.reporter_id(), alerts, {}, std::nullopt, {},
             [&](store::IncidentStore::Sent s) { opened.set_value(s.outcome()); });
  return opened.get_future().get();
}

}  // namespace puente::test
