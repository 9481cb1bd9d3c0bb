#include "app/dispatch_service.hpp"

#include "core/access.hpp"
#include "core/ids.hpp"

#include "core/clock.hpp"
#include <spdlog/spdlog.h>

#include <algorithm>

namespace puente::app {

namespace {

// Most incidents a list returns: a board shows a city's night, not its year.
constexpr std::size_t max_listed = 500;

bool acked_on_scene(const v1::Incident& incident, const std::string& responder_id) {
  return std::any_of(incident.acks().begin(), incident.acks().end(), [&](const v1::Ack& a) {
    return a.responder_id() == responder_id && a.state() == v1::ON_SCENE;
  });
}

const v1::Alert* find_alert(const v1::Incident& incident, const std::string& alert_id) {
  for (const auto& alert : incident.alerts())
    if (alert.id() == alert_id) return &alert;
  return nullptr;
}

core::IncidentContext context_of(const v1::Incident& incident, const core::Responder& who) {
  return {incident.neighborhood(), acked_on_scene(incident, who.id)};
}

}  // namespace

DispatchService::DispatchService(const core::GeoIndex& geo, store::IncidentStore& store,
                                 core::Metrics& metrics)
    : geo_(geo), store_(store), metrics_(metrics) {}

void DispatchService::advance(const core::Responder& who, const std::string& incident_id,
                              core::IncidentStep step, const v1::IncidentAction& action,
                              Done<v1::Incident> done) {
  if (action.text().size() > core::max_description_bytes)
    return done(Refusal{400, "too_long", "text is over " + std::to_string(core::max_description_bytes) + " bytes"}, {});
  store_.load(incident_id, [this, &who, step, action, done = std::move(done)](store::Outcome outcome,
                                                                               v1::Incident incident) mutable {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (outcome != store::Outcome::ok) return done(Refusal::not_found("no such incident"), {});
    apply_step(who, std::move(incident), step, action, std::move(done));
  });
}

void DispatchService::apply_step(const core::Responder& who, v1::Incident incident,
                                 core::IncidentStep step, const v1::IncidentAction& action,
                                 Done<v1::Incident> done) {
  auto permission = step == core::IncidentStep::confirm       ? core::Action::confirm
                    : step == core::IncidentStep::false_alarm ? core::Action::false_alarm
                    : step == core::IncidentStep::resolve     ? core::Action::resolve
                                                              : core::Action::post_update;
  if (!core::may(who, permission, context_of(incident, who)))
    return done(Refusal::forbidden("you may not " + std::string(core::to_string(step)) + " this incident"), {});
  auto transition = core::next_state(incident.status(), step);
  if (!transition)
    return done(Refusal{409, "invalid_transition",
                        "cannot " + std::string(core::to_string(step)) + " an incident that is " +
                            v1::IncidentStatus_Name(incident.status())},
                {});

  auto now = core::now();
  v1::Alert alert;
  alert.set_id(core::new_id("al"));
  alert.set_incident_id(incident.id());
  alert.set_neighborhood(incident.neighborhood());
  alert.set_type(transition->alert);
  alert.set_text(action.text().empty()
                     ? core::default_alert_text(transition->alert, incident.kind(), incident.neighborhood_name())
                     : action.text());
  *alert.mutable_location() = incident.location();
  alert.set_kind(incident.kind());
  *alert.mutable_sent_at() = now;
  for (auto& role : core::alert_audience(transition->alert)) alert.add_audience(role);

  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(incident.neighborhood());
  event.set_status(transition->to);
  event.set_what(std::string(core::to_string(step)));
  *event.mutable_alert() = alert;
  *event.mutable_at() = now;

  // Copied before the call: the callback below takes `incident` by move, and argument
  // evaluation order is unspecified.
  auto id = incident.id();
  auto from = incident.status();
  auto to = transition->to;
  store_.advance(id, from, to, alert, event,
                 [this, incident = std::move(incident), alert, to, now, who_id = who.id, step,
                  done = std::move(done)](store::IncidentStore::Advanced advanced) mutable {
                   if (advanced.outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
                   if (advanced.outcome == store::Outcome::not_found) return done(Refusal::not_found("no such incident"), {});
                   if (advanced.outcome == store::Outcome::conflict)
                     return done(Refusal{409, "invalid_transition",
                                         "the incident changed meanwhile; it is now " +
                                             v1::IncidentStatus_Name(advanced.current)},
                                 {});
                   metrics_.alerts_published.inc();
                   spdlog::info("incident {} {} by {}: now {}", incident.id(), core::to_string(step), who_id,
                                v1::IncidentStatus_Name(to));
                   incident.set_status(to);
                   *incident.mutable_updated_at() = now;
                   auto* sent = incident.add_alerts();
                   *sent = std::move(alert);
                   sent->set_offset(advanced.offset);
                   done(std::nullopt, std::move(incident));
                 });
}

void DispatchService::ack(const core::Responder& who, v1::Ack ack, Done<v1::Ack> done) {
  if (auto error = core::check_ack(ack)) return done(Refusal::bad_input(*error), {});
  auto incident_id = ack.incident_id();  // copied: the callback takes `ack` by move
  store_.load(incident_id, [this, &who, ack = std::move(ack), done = std::move(done)](
                                     store::Outcome outcome, v1::Incident incident) mutable {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (outcome != store::Outcome::ok) return done(Refusal::not_found("no such incident"), {});
    if (!core::may(who, core::Action::ack, context_of(incident, who)))
      return done(Refusal::forbidden("you are not on call for " + incident.neighborhood()), {});
    if (!find_alert(incident, ack.alert_id()))
      return done(Refusal{404, "unknown_alert", "the incident sent no alert " + ack.alert_id()}, {});

    ack.set_responder_id(who.id);
    *ack.mutable_at() = core::now();
    v1::IncidentEvent event;
    event.set_incident_id(incident.id());
    event.set_neighborhood(incident.neighborhood());
    event.set_status(incident.status());
    event.set_what("ack");
    *event.mutable_ack() = ack;
    *event.mutable_at() = ack.at();
    store_.record_ack(ack, event, [this, ack, done = std::move(done)](store::Outcome recorded) mutable {
      if (recorded == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
      if (recorded != store::Outcome::ok) return done(Refusal::not_found("no such incident"), {});
      metrics_.acks_recorded.inc();
      done(std::nullopt, std::move(ack));
    });
  });
}

void DispatchService::view(const core::Responder& who, const std::string& incident_id,
                           Done<v1::Incident> done) {
  store_.load(incident_id, [&who, done = std::move(done)](store::Outcome outcome, v1::Incident incident) {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    // A responder not on call there learns nothing, not even that the incident exists.
    if (outcome != store::Outcome::ok || !core::may(who, core::Action::view_incident, context_of(incident, who)))
      return done(Refusal::not_found("no such incident"), {});
    done(std::nullopt, std::move(incident));
  });
}

void DispatchService::list(const core::Responder& who, const std::string& status,
                           const std::string& neighborhood, Done<v1::IncidentList> done) {
  if (!core::may(who, core::Action::list_incidents))
    return done(Refusal::forbidden("only dispatchers may list incidents"), {});
  v1::IncidentStatus wanted = v1::INCIDENT_STATUS_UNSPECIFIED;
  if (!status.empty() && (!v1::IncidentStatus_Parse(status, &wanted) || wanted == v1::INCIDENT_STATUS_UNSPECIFIED))
    return done(Refusal{400, "bad_status", "status must be REPORTED, CONFIRMED, FALSE_ALARM or RESOLVED"}, {});
  if (!neighborhood.empty() && !geo_.find(neighborhood))
    return done(Refusal{400, "unknown_neighborhood", "no neighborhood \"" + neighborhood + "\""}, {});

  bool open_only = wanted == v1::INCIDENT_STATUS_UNSPECIFIED || core::is_open(wanted);
  store_.list(open_only, max_listed, [wanted, neighborhood, done = std::move(done)](
                                         store::Outcome outcome, std::vector<v1::Incident> incidents) {
    if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
    v1::IncidentList list;
    for (auto& incident : incidents) {
      if (wanted != v1::INCIDENT_STATUS_UNSPECIFIED && incident.status() != wanted) continue;
      if (!neighborhood.empty() && incident.neighborhood() != neighborhood) continue;
      *list.add_incidents() = std::move(incident);
    }
    done(std::nullopt, std::move(list));
  });
}

}  // namespace puente::app
