#include "app/incidents/approval_service.hpp"

#include "core/access.hpp"
#include "core/clock.hpp"

#include <spdlog/spdlog.h>

namespace puente::app {

using Clock = std::chrono::system_clock;

bool is_hidden_from(const core::Responder& who, const v1::Incident& incident) {
  return incident.has_held_at() && !core::may(who, core::Action::watch_board);
}

void ApprovalService::approve(const core::Responder& who, const std::string& incident_id,
                              Done<v1::Incident> done) {
  if (!core::may(who, core::Action::watch_board))
    return done(Refusal::forbidden("only dispatchers may approve a held incident"), {});
  store_.load(incident_id, [this, &who, done = std::move(done)](store::Outcome loaded,
                                                                v1::Incident incident) mutable {
    if (loaded == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (loaded != store::Outcome::ok) return done(Refusal::not_found("no such incident"), {});
    if (!incident.has_held_at())
      return done(Refusal{RefusalKind::invalid_transition,
                          "the incident is not held for approval; nothing was changed"},
                  {});
    availability_.get([this, &who, incident = std::move(incident),
                       done = std::move(done)](AvailabilityCopy::Book book) mutable {
      if (!book) return done(Refusal::unavailable(), {});
      release(who, std::move(incident), *book, std::move(done));
    });
  });
}

void ApprovalService::release(const core::Responder& who, v1::Incident incident,
                              const store::AvailabilityBook& book, Done<v1::Incident> done) {
  const auto now = Clock::now();
  const auto& policy = rules_.policy_for(incident.neighborhood());
  const bool verify_first = incident.status() == v1::REPORTED && policy.verify_before_dispatch;
  const auto available = book.available_at(now);
  // The head as stored: the alerts carry its place and kind; no report or old alert rides along.
  v1::Incident head = incident;
  head.clear_reports();
  head.clear_alerts();
  head.clear_acks();
  head.clear_deliveries();
  auto alerts = rules_.writer.write({&head,
                                     verify_first ? v1::VERIFY : v1::DISPATCH,
                                     {incident.neighborhood()},
                                     "",
                                     0,
                                     now,
                                     &available});
  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(incident.neighborhood());
  event.set_status(incident.status());
  event.set_what("approved");
  *event.mutable_at() = core::now();
  std::optional<Clock::time_point> escalate_at;
  if (!verify_first && !policy.escalation.empty() && !incident.has_confirmed_at())
    escalate_at = now + policy.escalation.front().deadline;
  const auto id = incident.id();
  store_.approve(id, who.id, alerts, event, escalate_at,
                 [this, &who, id, done = std::move(done)](store::IncidentStore::Sent sent) mutable {
                   switch (sent.outcome()) {
                     case store::Outcome::ok: break;
                     case store::Outcome::not_found:
                       return done(Refusal::not_found("no such incident"), {});
                     case store::Outcome::closed:
                     case store::Outcome::conflict:
                       return done(Refusal{RefusalKind::invalid_transition,
                                           "the incident is no longer held for approval; nothing "
                                           "was changed"},
                                   {});
                     default: return done(Refusal::unavailable(), {});
                   }
                   audit_.record(who.id, "incident.approve", id);
                   spdlog::info("incident {} approved by {}: its alert went out", id, who.id);
                   store_.load(
                       id, [done = std::move(done)](store::Outcome outcome, v1::Incident incident) {
                         if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
                         done(std::nullopt, std::move(incident));
                       });
                 });
}

}  // namespace puente::app
