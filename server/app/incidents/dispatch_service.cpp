#include "app/incidents/dispatch_service.hpp"

#include "app/incidents/approval_service.hpp"
#include "app/incidents/escalation_worker.hpp"

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/help_call.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace puente::app {

using Sent = store::IncidentStore::Sent;

using Clock = std::chrono::system_clock;

namespace {

// Most incidents a list returns: a board shows a city's night, not its year.
constexpr std::size_t max_listed = 500;

bool acked_on_scene(const v1::Incident& incident, const std::string& responder_id) {
  return std::any_of(incident.acks().begin(), incident.acks().end(), [&](const v1::Ack& a) {
    return a.responder_id() == responder_id && a.state() == v1::ON_SCENE;
  });
}

core::IncidentContext context_of(const v1::Incident& incident, const core::Responder& who) {
  core::IncidentContext context;
  context.neighborhood = incident.neighborhood();
  context.responder_on_scene = acked_on_scene(incident, who.id);
  return context;
}

bool filed_a_report(const v1::Incident& incident, const std::string& responder_id) {
  return std::any_of(incident.reports().begin(), incident.reports().end(),
                     [&](const v1::Report& r) { return r.reporter_id() == responder_id; });
}

core::Action permission_for(core::IncidentStep step) {
  switch (step) {
    case core::IncidentStep::confirm: return core::Action::confirm;
    case core::IncidentStep::false_alarm: return core::Action::false_alarm;
    case core::IncidentStep::resolve: return core::Action::resolve;
    case core::IncidentStep::update: return core::Action::post_update;
    // Whoever may close an incident may open it again when it was closed by mistake.
    case core::IncidentStep::reopen: return core::Action::resolve;
  }
  return core::Action::post_update;
}

bool valid_point(const v1::Location& l) {
  return std::isfinite(l.lat()) && std::isfinite(l.lon()) && l.lat() >= -90 && l.lat() <= 90 &&
         l.lon() >= -180 && l.lon() <= 180 && !(l.lat() == 0 && l.lon() == 0);
}

}  // namespace

namespace {

// A report's fields for dispatchers only: the caller's hash and the report's source.
void clear_dispatcher_fields(v1::Report& report) {
  report.clear_caller_hash();
  report.clear_source();
  report.clear_reporter_roles();
  report.clear_replayed();
}

}  // namespace

void redact_for(const core::Responder& who, v1::Incident& incident) {
  if (core::may(who, core::Action::watch_board)) return;
  incident.clear_deliveries();
  // Who approved a held incident, and where each report came from: dispatchers only.
  incident.clear_held_at();
  incident.clear_approved_by();
  for (auto& report : *incident.mutable_reports()) clear_dispatcher_fields(report);
  // A help call is seen by those it went to only; where people are, by dispatchers only.
  auto& alerts = *incident.mutable_alerts();
  alerts.erase(std::remove_if(alerts.begin(), alerts.end(),
                              [&](const v1::Alert& a) { return !core::sees_alert(a, who.id); }),
               alerts.end());
  auto& acks = *incident.mutable_acks();
  acks.erase(std::remove_if(acks.begin(), acks.end(),
                            [](const v1::Ack& a) { return a.state() == v1::NEED_HELP; }),
             acks.end());
  for (auto& ack : acks) ack.clear_location();
  // `texts` stay: the alert in each language its recipients read, so a page shows it in the
  // page's language (issue 20); they hold nothing the alert's own text does not. Who sent a
  // step is for dispatchers.
  for (auto& alert : alerts) {
    alert.clear_recipients();
    alert.clear_sent_by();
  }
}

void redact_for(const core::Responder& who, v1::ReportReceipt& receipt) {
  redact_for(who, *receipt.mutable_incident());
  if (!core::may(who, core::Action::watch_board))
    clear_dispatcher_fields(*receipt.mutable_report());
}

struct DispatchService::Step {
  const core::Responder* who;
  core::IncidentStep step;
  v1::IncidentAction action;
  v1::Incident incident;
  Clock::time_point now;
  google::protobuf::Timestamp stamp;
  // The availability book fresh recipients are chosen from (a confirmation, a move); null for
  // the other steps, which go to whoever was alerted before.
  AvailabilityCopy::Book book;
  int stale = 0;                                 // writes refused so far for an out-of-date book
  const core::Neighborhood* moved_to = nullptr;  // an update's new neighborhood, if it moved
  Done<v1::Incident> done;
};

DispatchService::DispatchService(const NetworkRules& rules, store::IncidentStore& store,
                                 AvailabilityCopy& availability, core::Metrics& metrics,
                                 AuditTrail& audit)
    : rules_(rules), store_(store), availability_(availability), metrics_(metrics), audit_(audit) {}

void DispatchService::advance(const core::Responder& who, const std::string& incident_id,
                              core::IncidentStep step, const v1::IncidentAction& action,
                              Done<v1::Incident> done) {
  if (action.text().size() > core::max_description_bytes)
    return done(Refusal{RefusalKind::too_long,
                        "text is over " + std::to_string(core::max_description_bytes) + " bytes"},
                {});
  // Everyone alerted hears why it is open again: a reopen says so in the dispatcher's words.
  if (step == core::IncidentStep::reopen && action.text().empty())
    return done(Refusal::bad_input(
                    {"reason_required", "a reopen needs a text saying why, for everyone alerted"}),
                {});
  if (action.has_location()) {
    if (step != core::IncidentStep::update)
      return done(Refusal{RefusalKind::bad_location, "only an update may carry a new location"},
                  {});
    if (!valid_point(action.location()))
      return done(Refusal{RefusalKind::bad_location,
                          "location needs lat in [-90, 90] and lon in [-180, 180]"},
                  {});
  }
  auto s = std::make_shared<Step>();
  s->who = &who;
  s->step = step;
  s->action = action;
  s->stamp = core::now();
  s->now = core::to_time_point(s->stamp);
  s->done = std::move(done);
  store_.load(incident_id, [this, s](store::Outcome loaded, v1::Incident incident) {
    if (loaded == store::Outcome::unavailable) return s->done(Refusal::unavailable(), {});
    if (loaded != store::Outcome::ok) return s->done(Refusal::not_found("no such incident"), {});
    s->incident = std::move(incident);
    // Who set themselves available matters only when the step picks fresh recipients: a
    // confirmation, or a move; the rest go to whoever was alerted before.
    if (s->step != core::IncidentStep::confirm && !s->action.has_location()) return apply_step(s);
    availability_.get([this, s](AvailabilityCopy::Book book) {
      if (!book) return s->done(Refusal::unavailable(), {});
      s->book = std::move(book);
      apply_step(s);
    });
  });
}

std::vector<v1::Alert> DispatchService::alerts_for(const Step& s, const v1::Incident& moved) const {
  auto transition = core::next_state(s.incident.status(), s.step, s.incident.has_confirmed_at());
  const auto available = s.book ? s.book->available_at(s.now) : std::set<std::string>{};
  std::vector<std::string> alerted(s.incident.alerted_neighborhoods().begin(),
                                   s.incident.alerted_neighborhoods().end());
  if (s.step == core::IncidentStep::confirm)
    return rules_.writer.write(
        {&moved, v1::DISPATCH, {moved.neighborhood()}, s.action.text(), 0, s.now, &available});
  // Everyone alerted so far hears what happened, wherever they were alerted from.
  auto alerts = rules_.writer.write(
      {&moved, transition->alert, alerted, s.action.text(), 0, s.now, &available});
  if (s.moved_to && std::find(alerted.begin(), alerted.end(), s.moved_to->slug) == alerted.end()) {
    // It moved somewhere new: that neighborhood is alerted as its own would have been.
    auto fresh = moved.status() == v1::CONFIRMED ? v1::DISPATCH : v1::VERIFY;
    auto arriving = rules_.writer.write(
        {&moved, fresh, {s.moved_to->slug}, s.action.text(), 0, s.now, &available});
    alerts.insert(alerts.end(), arriving.begin(), arriving.end());
  }
  return alerts;
}

void DispatchService::apply_step(std::shared_ptr<Step> s) {
  auto& incident = s->incident;
  // Where an update's new location lies decides who may make it (a move out of the actor's area
  // is a dispatcher's), so it is looked up before the check; outside every neighborhood is 422.
  const core::Neighborhood* destination = nullptr;
  if (s->action.has_location())
    destination = rules_.geo.locate(s->action.location().lat(), s->action.location().lon());
  auto context = context_of(incident, *s->who);
  context.responder_reported = filed_a_report(incident, s->who->id);
  if (destination && destination->slug != incident.neighborhood())
    context.moving_to = destination->slug;
  const auto action = permission_for(s->step);
  if (!core::may(*s->who, action, context))
    return s->done(
        Refusal::forbidden(core::refusal_reason(*s->who, action, context)
                               .value_or("you may not " + std::string(core::to_string(s->step)) +
                                         " this incident")),
        {});
  auto transition = core::next_state(incident.status(), s->step, incident.has_confirmed_at());
  if (!transition)
    return s->done(
        Refusal{RefusalKind::invalid_transition, "cannot " + std::string(core::to_string(s->step)) +
                                                     " an incident that is " +
                                                     v1::IncidentStatus_Name(incident.status())},
        {});

  store::StatusChange change;
  change.from = incident.status();
  change.to = transition->to;
  change.kind = incident.kind();
  v1::Incident moved = incident;  // the incident as the alerts describe it
  moved.set_status(transition->to);
  if (s->step == core::IncidentStep::confirm) {
    change.confirmed_at = s->stamp;
    const auto& policy = rules_.policy_for(incident.neighborhood());
    if (!policy.escalation.empty())
      change.escalate_at = s->now + policy.escalation.front().deadline;
  }
  // A reopened incident is back among the places a new report may corroborate, and a confirmed
  // one escalates again from the step it had reached (at once if that deadline has passed).
  if (s->step == core::IncidentStep::reopen) {
    if (incident.has_location()) change.new_location = incident.location();
    v1::Incident reopened = incident;
    reopened.set_status(transition->to);
    mark_next_escalation(reopened, rules_);
    if (reopened.has_next_escalation_at())
      change.escalate_at = std::max(s->now, core::to_time_point(reopened.next_escalation_at()));
  }
  if (s->action.has_location()) {
    s->moved_to = destination;
    if (!s->moved_to)
      return s->done(
          Refusal{RefusalKind::outside_coverage, "the new location is outside every neighborhood"},
          {});
    change.new_location = core::moved_location(incident.location(), s->action.location());
    *moved.mutable_location() = *change.new_location;
    if (s->moved_to->slug != incident.neighborhood()) {
      change.moved_to = s->moved_to->slug;
      change.moved_to_name = s->moved_to->name;
      moved.set_neighborhood(s->moved_to->slug);
      moved.set_neighborhood_name(s->moved_to->name);
    } else {
      s->moved_to = nullptr;
    }
  }
  auto alerts = alerts_for(*s, moved);
  for (auto& alert : alerts) alert.set_sent_by(s->who->id);
  if (s->book) change.availability_version = s->book->version;

  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(moved.neighborhood());
  event.set_status(transition->to);
  event.set_what(std::string(core::to_string(s->step)));
  *event.mutable_at() = s->stamp;

  auto id = incident.id();  // copied: the callback below takes `s`, and with it `incident`
  store_.advance(
      id, change, alerts, event,
      [this, s, moved, alerts, to = transition->to](store::IncidentStore::Sent sent) mutable {
        if (sent.outcome() == store::Outcome::unavailable)
          return s->done(Refusal::unavailable(), {});
        if (sent.outcome() == store::Outcome::not_found)
          return s->done(Refusal::not_found("no such incident"), {});
        if (sent.outcome() == store::Outcome::conflict)
          return s->done(
              Refusal{RefusalKind::invalid_transition,
                      "the incident changed meanwhile; it is now " +
                          v1::IncidentStatus_Name(std::get<Sent::Conflict>(sent.what).current)},
              {});
        if (sent.outcome() == store::Outcome::stale) {
          // Someone changed their availability since this node's copy: choose again from the book
          // as it is.
          if ((s->book = availability_.retry_stale(std::move(std::get<Sent::Stale>(sent.what).book),
                                                   s->stale)))
            return apply_step(s);
          spdlog::warn("incident {}: the availability book changed {} times during a {}",
                       moved.id(), s->stale, core::to_string(s->step));
          return s->done(Refusal::unavailable(), {});
        }
        metrics_.alerts_published.inc(alerts.size());
        audit_.record(s->who->id, "incident." + std::string(core::to_string(s->step)), moved.id(),
                      "now " + v1::IncidentStatus_Name(to));
        // Every move, by neighborhood only: the audit log is never purged, so no exact place.
        if (s->action.has_location())
          audit_.record(s->who->id, "incident.move", moved.id(),
                        s->moved_to
                            ? "from " + s->incident.neighborhood() + " to " + moved.neighborhood()
                            : "within " + moved.neighborhood());
        spdlog::info("incident {} {} by {}: now {}", moved.id(), core::to_string(s->step),
                     s->who->id, v1::IncidentStatus_Name(to));
        *moved.mutable_updated_at() = s->stamp;
        if (s->step == core::IncidentStep::confirm) *moved.mutable_confirmed_at() = s->stamp;
        const auto& offsets = std::get<Sent::Written>(sent.what).offsets;
        for (std::size_t i = 0; i < alerts.size() && i < offsets.size(); ++i) {
          alerts[i].set_offset(offsets[i]);
          if (std::find(moved.alerted_neighborhoods().begin(), moved.alerted_neighborhoods().end(),
                        alerts[i].neighborhood()) == moved.alerted_neighborhoods().end())
            moved.add_alerted_neighborhoods(alerts[i].neighborhood());
          *moved.add_alerts() = std::move(alerts[i]);
        }
        mark_next_escalation(moved, rules_);
        redact_for(*s->who, moved);
        s->done(std::nullopt, std::move(moved));
      });
}

void DispatchService::ack(const core::Responder& who, v1::Ack ack, Done<Accepted<v1::Ack>> done) {
  if (!core::answers_alerts(who))
    return done(Refusal::forbidden("your role may not ack alerts"), {});
  if (auto error = core::check_ack(ack)) return done(Refusal::bad_input(*error), {});
  // A disguised help call: kept as the ordinary ack it looks like, without the word; the
  // sender is answered with what they sent.
  const bool duress =
      core::is_duress_note(ack.note(), rules_.policies.network().on_scene.duress_word);
  v1::Ack kept = ack;
  if (duress) kept.clear_note();
  // One store step checks the ack against the incident (it exists, sent that alert, to this
  // responder or where they may answer) and keeps it; the script adds the incident's
  // neighborhood and status to the board's event.
  v1::IncidentEvent event;
  event.set_incident_id(ack.incident_id());
  event.set_what("ack");
  *event.mutable_ack() = kept;
  *event.mutable_at() = ack.at();
  store_.record_ack(
      kept, event, core::ack_reach(who),
      [this, &who, ack, kept, duress,
       done = std::move(done)](store::IncidentStore::AckRecorded recorded) mutable {
        switch (recorded.outcome) {
          case store::Outcome::ok:
            metrics_.acks_recorded.inc();
            if (!on_ack_recorded_) return done(std::nullopt, {std::move(ack), Taken::created});
            return on_ack_recorded_(who, kept, duress, [ack, done]() mutable {
              done(std::nullopt, {std::move(ack), Taken::created});
            });
          case store::Outcome::repeated:
            return done(std::nullopt, {std::move(ack), Taken::repeated});
          case store::Outcome::unavailable: return done(Refusal::unavailable(), {});
          case store::Outcome::no_alert:
            return done(
                Refusal{RefusalKind::unknown_alert, "the incident sent no alert " + ack.alert_id()},
                {});
          case store::Outcome::not_recipient:
            return done(Refusal::forbidden("you are not on call for " + recorded.neighborhood), {});
          case store::Outcome::reused_key:
            return done(
                Refusal{RefusalKind::idempotency_conflict,
                        "this idempotency key was used for a different ack; nothing was changed"},
                {});
          default: return done(Refusal::not_found("no such incident"), {});
        }
      });
}

void DispatchService::view(const core::Responder& who, const std::string& incident_id,
                           Done<v1::Incident> done) {
  store_.load(incident_id,
              [this, &who, done = std::move(done)](store::Outcome outcome, v1::Incident incident) {
                if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
                // A responder not on call there learns nothing, not even that the incident exists.
                if (outcome != store::Outcome::ok ||
                    !core::may(who, core::Action::view_incident, context_of(incident, who)) ||
                    is_hidden_from(who, incident))
                  return done(Refusal::not_found("no such incident"), {});
                mark_next_escalation(incident, rules_);
                redact_for(who, incident);
                done(std::nullopt, std::move(incident));
              });
}

void DispatchService::list(const core::Responder& who, const std::string& status,
                           const std::string& neighborhood, Done<v1::IncidentList> done) {
  if (!core::may(who, core::Action::list_incidents))
    return done(Refusal::forbidden("only dispatchers and field responders may list incidents"), {});
  v1::IncidentStatus wanted = v1::INCIDENT_STATUS_UNSPECIFIED;
  if (!status.empty() &&
      (!v1::IncidentStatus_Parse(status, &wanted) || wanted == v1::INCIDENT_STATUS_UNSPECIFIED))
    return done(Refusal{RefusalKind::bad_status,
                        "status must be REPORTED, CONFIRMED, FALSE_ALARM or RESOLVED"},
                {});
  if (!neighborhood.empty() && !rules_.geo.find(neighborhood))
    return done(
        Refusal{RefusalKind::unknown_neighborhood, "no neighborhood \"" + neighborhood + "\""}, {});

  bool open_only = wanted == v1::INCIDENT_STATUS_UNSPECIFIED || core::is_open(wanted);
  store_.list(open_only, max_listed,
              [&who, wanted, neighborhood, done = std::move(done)](
                  store::Outcome outcome, std::vector<v1::Incident> incidents) {
                if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
                v1::IncidentList list;
                for (auto& incident : incidents) {
                  if (wanted != v1::INCIDENT_STATUS_UNSPECIFIED && incident.status() != wanted)
                    continue;
                  if (!neighborhood.empty() && incident.neighborhood() != neighborhood) continue;
                  if (!core::may(who, core::Action::view_incident, context_of(incident, who)) ||
                      is_hidden_from(who, incident))
                    continue;
                  redact_for(who, incident);
                  *list.add_incidents() = std::move(incident);
                }
                done(std::nullopt, std::move(list));
              });
}

}  // namespace puente::app
