#include "app/incidents/escalation_worker.hpp"

#include "core/clock.hpp"
#include "core/escalation_plan.hpp"
#include "core/on_call.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <map>

namespace puente::app {

using Sent = store::IncidentStore::Sent;

using Clock = std::chrono::system_clock;

namespace {

// A claimed deadline is ours this long; if this node dies holding it, another takes it after.
constexpr std::chrono::seconds lease{15};
constexpr std::size_t claims_per_poll = 32;

using core::to_time_point;

// The neighborhood `who` follows where an escalation reaching `reach` (sorted) tells them.
std::string followed_within(const core::Responder& who, const std::vector<std::string>& reach,
                            const std::string& fallback) {
  for (const auto& slug : who.neighborhoods)
    if (std::binary_search(reach.begin(), reach.end(), slug)) return slug;
  return fallback;
}

void add_recipients(v1::Alert& alert, const std::vector<const core::Responder*>& more) {
  std::set<std::string> ids(alert.recipients().begin(), alert.recipients().end());
  for (const auto* who : more) ids.insert(who->id);
  alert.clear_recipients();
  for (const auto& id : ids) alert.add_recipients(id);
}

}  // namespace

core::EscalationState escalation_state_of(const v1::Incident& incident,
                                          const core::Roster& roster) {
  core::EscalationState state;
  state.status = incident.status();
  if (incident.has_confirmed_at()) state.confirmed_at = to_time_point(incident.confirmed_at());
  state.steps_taken = static_cast<std::size_t>(incident.escalation_step());
  for (const auto& ack : incident.acks()) {
    core::AckRecord record{ack.responder_id(), {}, ack.state(), to_time_point(ack.at())};
    if (const auto* who = roster.find(ack.responder_id())) record.roles = who->roles;
    state.acks.push_back(std::move(record));
  }
  return state;
}

void mark_next_escalation(v1::Incident& incident, const NetworkRules& rules) {
  incident.clear_next_escalation_at();
  auto plan = core::plan_escalation(rules.policy_for(incident.neighborhood()),
                                    core::geography_of(rules.geo, incident.neighborhood()),
                                    escalation_state_of(incident, rules.roster));
  if (plan.outcome == core::EscalationPlan::Outcome::step_due)
    *incident.mutable_next_escalation_at() = core::to_timestamp(plan.due_at);
}

EscalationWorker::EscalationWorker(boost::asio::any_io_executor executor, const NetworkRules& rules,
                                   store::IncidentStore& store, AvailabilityCopy& availability,
                                   store::TimerQueue& timers, core::Metrics& metrics,
                                   std::chrono::milliseconds poll)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      rules_(rules),
      store_(store),
      availability_(availability),
      timers_(timers),
      metrics_(metrics),
      poll_(poll) {}

void EscalationWorker::start() { schedule_poll(); }

void EscalationWorker::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void EscalationWorker::schedule_poll() {
  if (stopped_) return;
  timer_.expires_after(poll_);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->poll();
  });
}

void EscalationWorker::poll() {
  timers_.claim_due(Clock::now(), lease, claims_per_poll,
                    [self = shared_from_this()](std::vector<std::string> due) {
                      for (const auto& id : due) self->handle(id);
                      boost::asio::post(self->timer_.get_executor(),
                                        [self] { self->schedule_poll(); });
                    });
}

void EscalationWorker::handle(const std::string& incident_id) {
  store_.load(incident_id, [self = shared_from_this(), incident_id](store::Outcome outcome,
                                                                    v1::Incident incident) {
    // Redis trouble: leave the lease to run out; the deadline comes back then.
    if (outcome == store::Outcome::unavailable) return;
    if (outcome != store::Outcome::ok) return self->timers_.complete(incident_id, {});
    const auto& policy = self->rules_.policy_for(incident.neighborhood());
    auto plan =
        core::plan_escalation(policy, core::geography_of(self->rules_.geo, incident.neighborhood()),
                              escalation_state_of(incident, self->rules_.roster));
    if (plan.outcome != core::EscalationPlan::Outcome::step_due)
      return self->timers_.complete(incident_id, {});
    if (!plan.due(Clock::now())) {
      // Claimed early (the policy changed, or a clock differs): put it back for its real time.
      return self->timers_.schedule(incident_id, plan.due_at, [self, incident_id](bool) {
        self->timers_.complete(incident_id, {});
      });
    }
    self->take_step(std::move(incident), plan);
  });
}

void EscalationWorker::take_step(v1::Incident incident, const core::EscalationPlan& plan) {
  availability_.get([self = shared_from_this(), incident = std::move(incident),
                     plan](AvailabilityCopy::Book book) mutable {
    if (!book) return;  // the lease runs out and the step comes back
    self->take_step(std::move(incident), plan, *book, 0);
  });
}

void EscalationWorker::take_step(v1::Incident incident, const core::EscalationPlan& plan,
                                 const store::AvailabilityBook& book, int stale) {
  auto now = Clock::now();
  const auto available = book.available_at(now);
  int step = static_cast<int>(plan.step) + 1;
  auto alerts = rules_.writer.write(
      {&incident, v1::ESCALATE, plan.who.neighborhoods, "", step, now, &available});

  // The standby pool hears it in a neighborhood they follow: the first of theirs this
  // escalation reached (a reserve covering none, in the incident's own). The dispatchers are
  // paged in the incident's own neighborhood, and on the board.
  std::map<std::string, std::vector<const core::Responder*>> extra;
  if (plan.who.standby_pool)
    for (const auto* who :
         core::standby_pool(rules_.roster, plan.who.reach, now, rules_.zone, available))
      extra[followed_within(*who, plan.who.reach, incident.neighborhood())].push_back(who);
  if (plan.who.page_dispatchers)
    for (const auto* who : core::dispatchers_on_call(rules_.roster, now, rules_.zone, available))
      extra[incident.neighborhood()].push_back(who);
  if (alerts.empty()) extra[incident.neighborhood()];  // every step leaves a trace on the incident
  for (const auto& [slug, who] : extra) {
    auto it = std::find_if(alerts.begin(), alerts.end(),
                           [&](const v1::Alert& a) { return a.neighborhood() == slug; });
    if (it == alerts.end()) {
      // A neighborhood an earlier step reached: its on-call responders had their alert then.
      auto more = rules_.writer.write({&incident, v1::ESCALATE, {slug}, "", step, now, &available});
      if (more.empty()) continue;
      more.front().clear_recipients();
      it = alerts.insert(alerts.end(), std::move(more.front()));
    }
    add_recipients(*it, who);
  }

  if (alerts.empty()) return timers_.complete(incident.id(), {});  // cannot happen: own kept

  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(incident.neighborhood());
  event.set_status(incident.status());
  event.set_what("escalated: " + std::string(core::to_string(plan.audience)));
  *event.mutable_at() = alerts.front().sent_at();

  // The following step's deadline goes in with this one: no crash can separate them.
  const auto& policy = rules_.policy_for(incident.neighborhood());
  std::optional<Clock::time_point> next_at;
  if (static_cast<std::size_t>(step) < policy.escalation.size())
    next_at = to_time_point(incident.confirmed_at()) + policy.escalation[step].deadline;
  auto id = incident.id();
  store_.escalate(
      id, step, alerts, event, next_at, book.version,
      [self = shared_from_this(), id, incident = std::move(incident), plan, step,
       count = alerts.size(), stale](store::IncidentStore::Sent sent) mutable {
        if (sent.outcome() == store::Outcome::unavailable)
          return;  // comes back when the lease runs out
        if (sent.outcome() == store::Outcome::stale) {
          // Someone changed their availability since this node's copy: choose again
          // from the book as it is.
          if (auto current = self->availability_.retry_stale(
                  std::move(std::get<Sent::Stale>(sent.what).book), stale))
            return self->take_step(std::move(incident), plan, *current, stale);
          return;  // comes back when the lease runs out
        }
        if (sent.outcome() == store::Outcome::ok) {
          self->metrics_.alerts_published.inc(count);
          self->metrics_.escalation_steps.inc();
          if (Clock::now() - plan.due_at > std::chrono::seconds(core::kLateEscalationStepSeconds))
            self->metrics_.escalation_steps_late.inc();
          spdlog::info("incident {} escalated, step {} ({})", id, step,
                       core::to_string(plan.audience));
        }
        self->timers_.complete(id, {});
      });
}

}  // namespace puente::app
