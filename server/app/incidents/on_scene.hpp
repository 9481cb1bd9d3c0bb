#pragma once
// The people on scene (docs/on-scene.md): check-ins, the silent call for help, and "enough
// people are there, stand by". Decisions are core's (checkin_plan.hpp, help_call.hpp); this
// class does the I/O around them.
//
// Check-ins. An ON_SCENE or ALL_OK ack sets the responder's deadline in a timer queue of its
// own ({p}checkins, {p}checkins:leased; store/timer_queue.hpp: a sorted set every node polls
// and claims from under a lease), member "<incident> <responder>". Whichever node claims it
// asks the plan what is due and takes that step with IncidentStore::send_on_scene, whose script
// takes a step only after the one before (so a step claimed twice, a lease that ran out on a
// dead node, is sent once) and sets the next deadline in the same write.
//
// Help. A NEED_HELP ack, or an ack whose note is the duress word (recorded without it, answered
// as sent), sends a HELP_CALL alert to the dispatchers and the on-call attorneys of the
// incident's neighborhood with the responder's last shared location; it is audited.
//
// Stand-by. The ON_SCENE ack that completes the incident's quorum sends STAND_BY, once, to
// everyone alerted who has not acked ON_SCENE; a dispatcher can still call them in (an update).

#include "app/access/audit_trail.hpp"
#include "app/incidents/availability_copy.hpp"
#include "app/node/network_rules.hpp"
#include "core/metrics.hpp"
#include "store/incident_store.hpp"
#include "store/timer_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>

namespace puente::app {

class OnScene : public std::enable_shared_from_this<OnScene> {
 public:
  OnScene(boost::asio::any_io_executor executor, const NetworkRules& rules,
          store::IncidentStore& store, AvailabilityCopy& availability, store::TimerQueue& checkins,
          core::Metrics& metrics, AuditTrail& audit, std::chrono::milliseconds poll);

  void start();
  void stop();  // thread-safe

  // `ack` of `who` was recorded (a repeat is not). `duress`: its note was the duress word.
  // `then` runs once the check-in deadline it sets or removes is written (or failed to be).
  void acked(const core::Responder& who, const v1::Ack& ack, bool duress,
             std::function<void()> then);

 private:
  void schedule_poll();
  void poll();
  void handle(const std::string& member);
  void take_checkin_step(v1::Incident incident, const std::string& responder_id,
                         long long anchor_ms, int step);
  void call_for_help(const core::Responder& who, const v1::Ack& ack, bool duress);
  void check_stand_by_soon(const std::string& incident_id);
  void stand_by_if_quorum(const std::string& incident_id);

  boost::asio::steady_timer timer_;
  const NetworkRules& rules_;
  store::IncidentStore& store_;
  AvailabilityCopy& availability_;
  store::TimerQueue& checkins_;
  core::Metrics& metrics_;
  AuditTrail& audit_;
  std::chrono::milliseconds poll_;
  std::atomic<bool> stopped_{false};
  // Incidents whose stand-by check waits (on timer_'s strand): one load of the incident for a
  // burst of ON_SCENE acks, not one an ack.
  std::set<std::string> stand_by_checks_;
};

}  // namespace puente::app
