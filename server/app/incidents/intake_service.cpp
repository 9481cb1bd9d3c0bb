#include "app/incidents/intake_service.hpp"

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/report_dedup.hpp"

#include <spdlog/spdlog.h>

#include <cassert>

namespace puente::app {

using Sent = store::IncidentStore::Sent;

using Clock = std::chrono::system_clock;

using core::to_time_point;

namespace {

// The same idempotency key with another report (core/idempotency.hpp): a retry says the same.
Refusal reused_key() {
  return {RefusalKind::idempotency_conflict,
          "this idempotency key was used for a different report; nothing was changed"};
}

}  // namespace

struct IntakeService::Pending {
  v1::Report report;
  std::string reporter;  // who it counts as among the reporters (core::reporter_identity)
  const core::Neighborhood* where = nullptr;
  const core::DispatchPolicy* policy = nullptr;
  Clock::time_point now;
  int stale = 0;  // opens refused so far for an out-of-date availability book
  // The incident an open writes, kept here until the answer takes it: the store's reply needs
  // it, and a copy of it in that callback cost a copy of every field (issue 22).
  v1::Incident incident;
  Done<Accepted<v1::ReportReceipt>> done;
};

IntakeService::IntakeService(const NetworkRules& rules, store::IncidentStore& store,
                             AvailabilityCopy& availability, core::Metrics& metrics)
    : rules_(rules), store_(store), availability_(availability), metrics_(metrics) {}

void IntakeService::submit(const core::Responder& reporter, v1::Report report,
                           Done<Accepted<v1::ReportReceipt>> done) {
  assert(!report.id().empty() && report.has_received_at() &&
         "a report reaches intake with its identity");
  auto refuse = [&](Refusal r) {
    metrics_.reports_rejected.inc();
    done(std::move(r), {});
  };
  if (!core::may(reporter, core::Action::submit_report))
    return refuse(Refusal::forbidden("your role may not submit reports"));
  if (auto error = core::check_report(report)) return refuse(Refusal::bad_input(*error));

  auto p = std::make_shared<Pending>();
  if (core::has_location(report)) {
    p->where = rules_.geo.locate(report.location().lat(), report.location().lon());
    if (!p->where)
      return refuse({RefusalKind::outside_coverage,
                     "the location is outside every neighborhood this network covers"});
  } else {
    p->where = rules_.geo.find(report.neighborhood());
    if (!p->where)
      return refuse(
          {RefusalKind::unknown_neighborhood, "no neighborhood \"" + report.neighborhood() + "\""});
  }
  p->policy = &rules_.policy_for(p->where->slug);
  p->now = to_time_point(report.received_at());
  report.set_reporter_id(reporter.id);
  report.set_neighborhood(p->where->slug);
  p->report = std::move(report);
  p->reporter = core::reporter_identity(p->report, reporter);
  p->done = std::move(done);
  // A located report corroborates an open incident near it rather than open its own.
  open_incident(p, core::has_location(p->report));
}

void IntakeService::corroborate(std::shared_ptr<Pending> p,
                                const std::vector<store::Candidate>& candidates) {
  std::vector<core::OpenIncident> open;
  for (const auto& c : candidates)
    open.push_back({c.head.id(),
                    c.head.kind(),
                    {c.head.location().lat(), c.head.location().lon()},
                    to_time_point(c.head.created_at()),
                    c.last_report_at});
  core::IncomingReport incoming{
      p->report.kind(), {p->report.location().lat(), p->report.location().lon()}, p->now};
  if (const auto* match = core::find_corroborated(incoming, open, p->policy->dedup_rule()))
    return attach(p, match->id);
  // The store's search is a little wider than the rule (see report_dedup.hpp): none matched.
  open_incident(p, false);
}

void IntakeService::attach(std::shared_ptr<Pending> p, const std::string& incident_id) {
  p->report.set_incident_id(incident_id);
  v1::IncidentEvent event;
  event.set_incident_id(incident_id);
  event.set_neighborhood(p->where->slug);
  event.set_what("corroborated");
  *event.mutable_at() = p->report.received_at();
  store_.attach(incident_id, p->report, p->reporter, event,
                [this, p, incident_id](store::IncidentStore::Sent sent, int reporters) {
                  if (sent.outcome() == store::Outcome::unavailable)
                    return p->done(Refusal::unavailable(), {});
                  if (sent.outcome() == store::Outcome::repeated)
                    return answer_with_incident(std::get<Sent::Repeated>(sent.what).incident,
                                                std::get<Sent::Repeated>(sent.what).report,
                                                Taken::repeated, std::move(p->done));
                  if (sent.outcome() == store::Outcome::reused_key)
                    return p->done(reused_key(), {});
                  // Closed between the search and the attach: this report is news of its own.
                  if (sent.outcome() != store::Outcome::ok) return open_incident(p, false);
                  metrics_.reports_accepted.inc();
                  spdlog::info("report {} corroborates incident {} ({} reporters)", p->report.id(),
                               incident_id, reporters);
                  answer_with_incident(incident_id, p->report.id(), Taken::created,
                                       std::move(p->done));
                });
}

void IntakeService::open_incident(std::shared_ptr<Pending> p, bool unless_near) {
  availability_.get([this, p, unless_near](AvailabilityCopy::Book book) {
    if (!book) return p->done(Refusal::unavailable(), {});
    open_incident(p, unless_near, *book);
  });
}

void IntakeService::open_incident(std::shared_ptr<Pending> p, bool unless_near,
                                  const store::AvailabilityBook& book) {
  v1::Incident& incident = p->incident;
  incident.Clear();  // a retry after a stale book writes it anew
  incident.set_id(core::new_id("inc"));
  incident.set_neighborhood(p->where->slug);
  incident.set_neighborhood_name(p->where->name);
  incident.set_status(v1::REPORTED);
  incident.set_kind(p->report.kind());
  *incident.mutable_location() = p->report.location();
  *incident.mutable_created_at() = p->report.received_at();
  *incident.mutable_updated_at() = p->report.received_at();
  // A network that does not verify first dispatches at once: the clock of escalation starts.
  bool verify_first = p->policy->verify_before_dispatch;
  if (!verify_first) *incident.mutable_confirmed_at() = p->report.received_at();
  p->report.set_incident_id(incident.id());

  const auto available = book.available_at(p->now);
  // Shared with the answer below, not copied: each alert holds its recipients' ids.
  auto alerts = std::make_shared<std::vector<v1::Alert>>(
      rules_.writer.write({&incident,
                           verify_first ? v1::VERIFY : v1::DISPATCH,
                           {p->where->slug},
                           "",
                           0,
                           p->now,
                           &available}));
  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(p->where->slug);
  event.set_status(v1::REPORTED);
  event.set_what("reported");
  *event.mutable_at() = p->report.received_at();

  std::optional<Clock::time_point> escalate_at;
  if (!verify_first && !p->policy->escalation.empty())
    escalate_at = p->now + p->policy->escalation.front().deadline;
  store::OpenChecks checks;
  checks.availability_version = book.version;
  if (unless_near) {
    const auto rule = p->policy->dedup_rule();
    checks.unless_near = store::CorroborationQuery{rule.meters, p->now - rule.window};
  }
  // Planted reports: past the neighborhood's cap of new unverified incidents, kept but held for
  // a dispatcher (approval_service.hpp). The window is the node's now, not the report's time:
  // what it bounds is alerts going out, and a journal replay sends them now.
  if (verify_first && p->policy->unverified_cap > 0) {
    v1::IncidentEvent held = event;
    held.set_what("held");
    checks.unverified_cap = store::OpenChecks::UnverifiedCap{
        p->policy->unverified_cap, Clock::now() - p->policy->unverified_window, std::move(held)};
  }
  store_.open(incident, p->report, p->reporter, *alerts, event, escalate_at, checks,
              [this, p, unless_near, alerts](store::IncidentStore::Sent sent) {
                switch (sent.outcome()) {
                  case store::Outcome::ok: break;
                  case store::Outcome::repeated:
                    return answer_with_incident(std::get<Sent::Repeated>(sent.what).incident,
                                                std::get<Sent::Repeated>(sent.what).report,
                                                Taken::repeated, std::move(p->done));
                  case store::Outcome::reused_key: return p->done(reused_key(), {});
                  case store::Outcome::near:
                    return corroborate(p, std::get<Sent::Near>(sent.what).candidates);
                  case store::Outcome::stale: {
                    if (auto book = availability_.retry_stale(
                            std::move(std::get<Sent::Stale>(sent.what).book), p->stale))
                      return open_incident(p, unless_near, *book);
                    spdlog::warn(
                        "report {}: the availability book changed {} times while it was stored",
                        p->report.id(), p->stale);
                    return p->done(Refusal::unavailable(), {});
                  }
                  default: return p->done(Refusal::unavailable(), {});
                }
                metrics_.reports_accepted.inc();
                const auto& written = std::get<Sent::Written>(sent.what);
                v1::Incident& incident = p->incident;
                // The incident holds a copy of the report; the receipt takes the report itself.
                *incident.add_reports() = p->report;
                v1::ReportReceipt receipt;
                *receipt.mutable_report() = std::move(p->report);
                const v1::Report& report = receipt.report();
                incident.set_reporters(1);
                if (written.held) {
                  metrics_.reports_held.inc();
                  spdlog::warn(
                      "report {} opened incident {} in {}, held for a dispatcher's approval: the "
                      "neighborhood is past its cap of new unverified incidents",
                      report.id(), incident.id(), incident.neighborhood());
                  *incident.mutable_held_at() = report.received_at();
                  *receipt.mutable_incident() = std::move(incident);
                  return p->done(std::nullopt, {std::move(receipt), Taken::created});
                }
                metrics_.alerts_published.inc(alerts->size());
                spdlog::info("report {} opened incident {} in {}", report.id(), incident.id(),
                             incident.neighborhood());
                incident.add_alerted_neighborhoods(incident.neighborhood());
                const auto& offsets = written.offsets;
                for (std::size_t i = 0; i < alerts->size() && i < offsets.size(); ++i) {
                  (*alerts)[i].set_offset(offsets[i]);
                  *incident.add_alerts() = std::move((*alerts)[i]);
                }
                *receipt.mutable_incident() = std::move(incident);
                p->done(std::nullopt, {std::move(receipt), Taken::created});
              });
}

void IntakeService::answer_with_incident(const std::string& incident_id,
                                         const std::string& report_id, Taken taken,
                                         Done<Accepted<v1::ReportReceipt>> done) {
  store_.load(incident_id, [report_id, taken, done = std::move(done)](store::Outcome outcome,
                                                                      v1::Incident incident) {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (outcome != store::Outcome::ok)
      return done(Refusal{RefusalKind::idempotency_conflict,
                          "the idempotency key names an incident that is gone"},
                  {});
    v1::ReportReceipt receipt;
    for (const auto& r : incident.reports())
      if (r.id() == report_id) *receipt.mutable_report() = r;
    *receipt.mutable_incident() = std::move(incident);
    done(std::nullopt, {std::move(receipt), taken});
  });
}

}  // namespace puente::app
