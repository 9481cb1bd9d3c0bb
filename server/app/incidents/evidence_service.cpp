#include "app/incidents/evidence_service.hpp"

#include "app/incidents/dispatch_service.hpp"
#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/retention.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace puente::app {

namespace {

// A report arriving between the read and the rewrite makes the script refuse; each try reads
// again. Reports come seconds apart at most, so a few tries always suffice in practice.
constexpr int max_attempts = 5;

}  // namespace

struct EvidenceService::Mark {
  const core::Responder* who;
  std::string incident_id;
  int attempts = 0;
  Done<v1::Incident> done;
};

EvidenceService::EvidenceService(store::IncidentStore& incidents, store::RetentionStore& retention,
                                 core::Metrics& metrics, AuditTrail& audit)
    : incidents_(incidents), retention_(retention), metrics_(metrics), audit_(audit) {}

void EvidenceService::mark(const core::Responder& who, const std::string& incident_id,
                           Done<v1::Incident> done) {
  if (!core::may(who, core::Action::mark_evidence))
    return done(Refusal::forbidden("only dispatchers may keep an incident as evidence"), {});
  auto m = std::make_shared<Mark>();
  m->who = &who;
  m->incident_id = incident_id;
  m->done = std::move(done);
  attempt(std::move(m));
}

void EvidenceService::attempt(std::shared_ptr<Mark> m) {
  ++m->attempts;
  incidents_.load(m->incident_id, [this, m](store::Outcome loaded, v1::Incident incident) {
    if (loaded == store::Outcome::unavailable) return m->done(Refusal::unavailable(), {});
    if (loaded != store::Outcome::ok) return m->done(Refusal::not_found("no such incident"), {});
    std::vector<v1::Report> reports(incident.reports().begin(), incident.reports().end());
    auto stripped = std::count_if(reports.begin(), reports.end(),
                                  [](v1::Report r) { return core::strip_caller_contact(r); });
    retention_.mark_evidence(
        m->incident_id, reports, core::Clock::now(),
        [this, m, stripped,
         incident = std::move(incident)](store::RetentionStore::Marked marked) mutable {
          switch (marked.outcome) {
            case store::Outcome::unavailable: return m->done(Refusal::unavailable(), {});
            case store::Outcome::conflict:
              if (m->attempts < max_attempts) return attempt(m);
              return m->done(Refusal{RefusalKind::incident_busy,
                                     "reports keep arriving for this incident; try again"},
                             {});
            case store::Outcome::ok:
              metrics_.incidents_kept_as_evidence.inc();
              audit_.record(
                  m->who->id, "incident.evidence", m->incident_id,
                  "caller contact stripped from " + std::to_string(stripped) + " reports");
              spdlog::info(
                  "incident {} kept as evidence by {}: caller contact stripped from {} reports, {} "
                  "report log entries",
                  m->incident_id, m->who->id, stripped, marked.log_entries_deleted);
              // Recorded above either way: a retry finds it marked (and records nothing), or finds
              // it lost with the old primary and marks it again.
              if (!marked.replicated) return m->done(Refusal::unavailable(), {});
              break;
            case store::Outcome::repeated: break;  // already evidence: nothing new to record
            default: return m->done(Refusal::not_found("no such incident"), {});
          }
          for (auto& report : *incident.mutable_reports()) core::strip_caller_contact(report);
          *incident.mutable_evidence_at() = core::to_timestamp(marked.since);
          redact_for(*m->who, incident);
          m->done(std::nullopt, std::move(incident));
        });
  });
}

}  // namespace puente::app
