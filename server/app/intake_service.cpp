#include "app/intake_service.hpp"

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/incident_lifecycle.hpp"

#include <spdlog/spdlog.h>

namespace puente::app {

IntakeService::IntakeService(const core::GeoIndex& geo, store::IncidentStore& store, core::Metrics& metrics)
    : geo_(geo), store_(store), metrics_(metrics) {}

void IntakeService::submit(const core::Responder& reporter, v1::Report report,
                           std::function<void(Result)> done) {
  auto refuse = [&](Refusal r) {
    metrics_.reports_rejected.inc();
    done({std::move(r), false, {}});
  };
  if (!core::may(reporter, core::Action::submit_report))
    return refuse(Refusal::forbidden("your role may not submit reports"));
  if (auto error = core::check_report(report)) return refuse(Refusal::bad_input(*error));

  const core::Neighborhood* where = nullptr;
  if (core::has_location(report)) {
    where = geo_.locate(report.location().lat(), report.location().lon());
    if (!where)
      return refuse({422, "outside_coverage", "the location is outside every neighborhood this network covers"});
  } else {
    where = geo_.find(report.neighborhood());
    if (!where) return refuse({400, "unknown_neighborhood", "no neighborhood \"" + report.neighborhood() + "\""});
  }

  auto now = core::now();
  v1::Incident incident;
  incident.set_id(core::new_id("inc"));
  incident.set_neighborhood(where->slug);
  incident.set_neighborhood_name(where->name);
  incident.set_status(v1::REPORTED);
  incident.set_kind(report.kind());
  *incident.mutable_location() = report.location();
  *incident.mutable_created_at() = now;
  *incident.mutable_updated_at() = now;

  report.set_id(core::new_id("rep"));
  report.set_reporter_id(reporter.id);
  *report.mutable_received_at() = now;
  report.set_neighborhood(where->slug);
  report.set_incident_id(incident.id());

  v1::Alert alert;
  alert.set_id(core::new_id("al"));
  alert.set_incident_id(incident.id());
  alert.set_neighborhood(where->slug);
  alert.set_type(v1::VERIFY);
  alert.set_text(core::default_alert_text(v1::VERIFY, report.kind(), where->name));
  *alert.mutable_location() = report.location();
  alert.set_kind(report.kind());
  *alert.mutable_sent_at() = now;
  for (auto& role : core::alert_audience(v1::VERIFY)) alert.add_audience(role);

  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(where->slug);
  event.set_status(v1::REPORTED);
  event.set_what("reported");
  *event.mutable_alert() = alert;
  *event.mutable_at() = now;

  store_.open(incident, report, alert, event,
              [this, incident, report, alert, done = std::move(done)](store::IncidentStore::Opened opened) mutable {
                switch (opened.outcome) {
                  case store::Outcome::ok: {
                    metrics_.reports_accepted.inc();
                    metrics_.alerts_published.inc();
                    spdlog::info("report {} opened incident {} in {}", report.id(), incident.id(),
                                 incident.neighborhood());
                    Result result{std::nullopt, true, {}};
                    *result.receipt.mutable_report() = report;
                    *result.receipt.mutable_incident() = std::move(incident);
                    *result.receipt.mutable_incident()->add_reports() = report;
                    auto* sent = result.receipt.mutable_incident()->add_alerts();
                    *sent = std::move(alert);
                    sent->set_offset(opened.offset);
                    return done(std::move(result));
                  }
                  case store::Outcome::repeated: return answer_repeat(opened, std::move(done));
                  default: return done({Refusal::unavailable(), false, {}});
                }
              });
}

void IntakeService::answer_repeat(const store::IncidentStore::Opened& opened,
                                  std::function<void(Result)> done) {
  store_.load(opened.earlier_incident, [report_id = opened.earlier_report, done = std::move(done)](
                                           store::Outcome outcome, v1::Incident incident) {
    if (outcome == store::Outcome::unavailable) return done({Refusal::unavailable(), false, {}});
    if (outcome != store::Outcome::ok)
      return done({Refusal{409, "idempotency_conflict", "the idempotency key names an incident that is gone"}, false, {}});
    Result result{std::nullopt, false, {}};
    for (const auto& r : incident.reports())
      if (r.id() == report_id) *result.receipt.mutable_report() = r;
    *result.receipt.mutable_incident() = std::move(incident);
    done(std::move(result));
  });
}

}  // namespace puente::app
