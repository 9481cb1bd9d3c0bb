#pragma once
// Takes escalation steps when they fall due, on whichever node claims the deadline first.
//
// Each confirmed incident has one deadline in the timer queue (store/timer_queue.hpp), keyed by
// its id. Every `poll` this node claims the due ones and, for each, asks the escalation plan
// (core/escalation_plan.hpp) what to do: nothing any more (quorum reached, over, all steps
// taken), wait (a deadline not yet due: put it back), or take the step: ESCALATE alerts to the
// on-call responders of the step's neighborhoods (and the standby pool, or the dispatchers),
// then set the next step's deadline. The step's store script advances the incident's step only
// from the one before, so a step claimed twice (a lease that ran out) is sent once.

#include "app/incidents/availability_copy.hpp"
#include "app/node/network_rules.hpp"
#include "core/escalation_plan.hpp"
#include "core/metrics.hpp"
#include "store/incident_store.hpp"
#include "store/timer_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>

namespace puente::app {

// The incident as the escalation plan reads it (roles from the roster).
core::EscalationState escalation_state_of(const v1::Incident& incident, const core::Roster& roster);

// Sets `incident.next_escalation_at` when the plan has a step due (the board shows it); clears
// it otherwise.
void mark_next_escalation(v1::Incident& incident, const NetworkRules& rules);

class EscalationWorker : public std::enable_shared_from_this<EscalationWorker> {
 public:
  EscalationWorker(boost::asio::any_io_executor executor, const NetworkRules& rules,
                   store::IncidentStore& store, AvailabilityCopy& availability,
                   store::TimerQueue& timers, core::Metrics& metrics,
                   std::chrono::milliseconds poll);

  void start();
  void stop();  // thread-safe

 private:
  void schedule_poll();
  void poll();
  void handle(const std::string& incident_id);
  void take_step(v1::Incident incident, const core::EscalationPlan& plan);
  // The same, with the recipients chosen from `book`; `stale`: writes refused so far for an
  // out-of-date book.
  void take_step(v1::Incident incident, const core::EscalationPlan& plan,
                 const store::AvailabilityBook& book, int stale);

  boost::asio::steady_timer timer_;
  const NetworkRules& rules_;
  store::IncidentStore& store_;
  AvailabilityCopy& availability_;
  store::TimerQueue& timers_;
  core::Metrics& metrics_;
  std::chrono::milliseconds poll_;
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::app
