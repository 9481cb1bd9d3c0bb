#include "app/incidents/alert_writer.hpp"

#include "core/alert_recipients.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

#include <algorithm>

namespace puente::app {

AlertWriter::AlertWriter(const core::Roster& roster, const core::GeoIndex& geo,
                         const core::TimeZone& zone, const core::Templates& templates,
                         std::string default_language)
    : roster_(roster),
      geo_(geo),
      zone_(zone),
      templates_(templates),
      default_language_(std::move(default_language)) {
  rostered_languages_.push_back(default_language_);
  for (const auto& who : roster_.responders()) {
    auto language = templates_.choose_language(who.languages);
    const auto known = std::find(rostered_languages_.begin(), rostered_languages_.end(), language);
    language_index_.push_back(static_cast<std::size_t>(known - rostered_languages_.begin()));
    if (known == rostered_languages_.end()) rostered_languages_.push_back(std::move(language));
  }
}

std::string AlertWriter::language_of(const core::Responder& who) const {
  // Chosen once per rostered responder: an alert asks for each of its recipients.
  if (auto index = roster_.index_of(who)) return rostered_languages_[language_index_[*index]];
  return templates_.choose_language(who.languages);
}

std::vector<v1::Alert> AlertWriter::write(const Request& r) const {
  const v1::Incident& incident = *r.incident;
  auto happened = core::to_time_point(incident.created_at());
  std::vector<v1::Alert> alerts;
  for (const auto& slug : r.neighborhoods) {
    v1::Alert alert;
    auto& recipients = *alert.mutable_recipients();
    // The languages its recipients read, in the order first read (the default language always;
    // a network has a handful, so a list, where a set cost a compare per level per recipient). A
    // rostered responder's language is told by its index (`listed`), not compared as a string:
    // an alert has a hundred recipients.
    std::vector<std::string> languages{default_language_};
    std::vector<bool> listed(rostered_languages_.size());
    listed[0] = true;  // the default
    const auto list_rostered = [&](std::size_t i) {
      if (listed[i]) return;
      listed[i] = true;
      languages.push_back(rostered_languages_[i]);
    };
    const auto read_by = [&](const core::Responder& who) {
      if (const auto index = roster_.index_of(who)) return list_rostered(language_index_[*index]);
      auto language = templates_.choose_language(who.languages);
      const auto known =
          std::find(rostered_languages_.begin(), rostered_languages_.end(), language);
      if (known != rostered_languages_.end())
        return list_rostered(static_cast<std::size_t>(known - rostered_languages_.begin()));
      if (std::find(languages.begin(), languages.end(), language) == languages.end())
        languages.push_back(std::move(language));
    };
    if (core::follows_up(r.type)) {
      auto alerted = core::alerted_recipients(incident, slug);
      recipients.Reserve(static_cast<int>(alerted.size()));
      for (auto& id : alerted) {
        if (const auto* who = roster_.find(id)) read_by(*who);
        recipients.Add(std::move(id));
      }
    } else {
      const auto reached =
          core::fresh_recipients(roster_, slug, r.type, r.now, zone_, *r.available);
      recipients.Reserve(static_cast<int>(reached.size()));
      for (const auto* who : reached) {
        *recipients.Add() = who->id;
        read_by(*who);
      }
    }
    if (recipients.empty() && slug != incident.neighborhood()) continue;

    // The incident's own neighborhood names the place, whichever neighborhood the alert goes to:
    // a raid that moved on, or one an escalation asks neighbors to help with, is not where they
    // are.
    const auto* where = geo_.find(incident.neighborhood());
    core::AlertFields fields{incident.kind(), where ? where->name : incident.neighborhood(),
                             core::coarse_place(incident.location().description()),
                             zone_.to_local(happened)};
    alert.set_id(core::new_id("al"));
    alert.set_incident_id(incident.id());
    alert.set_neighborhood(slug);
    alert.set_type(r.type);
    alert.set_kind(incident.kind());
    *alert.mutable_location() = incident.location();
    alert.set_note(r.note);
    alert.set_escalation_step(r.escalation_step);
    *alert.mutable_sent_at() = core::to_timestamp(r.now);
    if (r.type == v1::VERIFY) alert.add_audience("legal_observer");

    for (const auto& language : languages)
      (*alert.mutable_texts())[language] = templates_.render(r.type, language, fields);
    alert.set_text(alert.texts().at(default_language_));
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

}  // namespace puente::app
