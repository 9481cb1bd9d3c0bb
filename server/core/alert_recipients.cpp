#include "core/alert_recipients.hpp"

#include "core/on_call.hpp"

#include <algorithm>

namespace puente::core {

namespace {

bool responds_in_field(const Responder& who) {
  return who.has_role(Role::legal_observer) || who.has_role(Role::volunteer) ||
         who.has_role(Role::attorney) || who.has_role(Role::counselor);
}

// The distinct recipients of the incident's alerts that `keep` picks, sorted, as `Id`s (copies,
// or views into the incident). A vector sorted once (an alert's list already is: one alert needs
// no sort), where a set's inserts cost an allocation and a string compare per level of the tree
// for each recipient of every report.
template <class Id, class Keep>
std::vector<Id> distinct_recipients(const v1::Incident& incident, Keep keep) {
  std::vector<Id> ids;
  for (const auto& alert : incident.alerts())
    if (keep(alert)) ids.insert(ids.end(), alert.recipients().begin(), alert.recipients().end());
  if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

bool follows_up(v1::AlertType type) {
  return type == v1::UPDATE || type == v1::DEBUNK || type == v1::STAND_DOWN;
}

std::vector<const Responder*> fresh_recipients(const Roster& roster, std::string_view neighborhood,
                                               v1::AlertType type,
                                               std::chrono::system_clock::time_point now,
                                               const TimeZone& zone,
                                               const std::set<std::string>& available) {
  auto reached = on_call_among(roster, roster.covering_by_id(neighborhood), now, zone, available);
  std::erase_if(reached, [&](const Responder* who) {
    return !(type == v1::VERIFY ? who->has_role(Role::legal_observer) : responds_in_field(*who));
  });
  return reached;
}

std::vector<std::string> alerted_recipients(const v1::Incident& incident,
                                            std::string_view neighborhood) {
  return distinct_recipients<std::string>(
      incident, [&](const v1::Alert& alert) { return alert.neighborhood() == neighborhood; });
}

std::vector<std::string_view> asked_to_come(const v1::Incident& incident) {
  return distinct_recipients<std::string_view>(incident, [](const v1::Alert& alert) {
    return alert.type() == v1::VERIFY || alert.type() == v1::DISPATCH ||
           alert.type() == v1::ESCALATE;
  });
}

}  // namespace puente::core
