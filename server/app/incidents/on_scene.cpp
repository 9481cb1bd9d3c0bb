// Check-ins, the silent call for help and the stand-by (on_scene.hpp).

#include "app/incidents/on_scene.hpp"

#include "core/checkin_plan.hpp"
#include "core/clock.hpp"
#include "core/escalation_plan.hpp"
#include "core/help_call.hpp"
#include "core/ids.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <set>

namespace puente::app {

namespace {

using Clock = std::chrono::system_clock;

// A claimed check-in deadline is ours this long; if this node dies holding it, another takes
// it after (as escalation_worker.cpp's).
constexpr std::chrono::seconds kCheckinLease{15};
constexpr std::size_t kCheckinClaimsPerPoll = 32;
// How long ON_SCENE acks of one incident gather before its quorum is checked once for them all
// (each check loads the whole incident; a flood of acks must not load it an ack).
constexpr std::chrono::milliseconds kStandByGather{300};

std::string checkin_member(const std::string& incident_id, const std::string& responder_id) {
  return incident_id + " " + responder_id;
}

long long checkin_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Their last shared location for the incident: the newest of their acks that carried one.
std::optional<v1::Location> last_shared_location(const v1::Incident& incident,
                                                 const std::string& responder_id) {
  const v1::Ack* newest = nullptr;
  for (const auto& ack : incident.acks())
    if (ack.responder_id() == responder_id && ack.has_location() &&
        (!newest || core::to_time_point(ack.at()) >= core::to_time_point(newest->at())))
      newest = &ack;
  if (!newest) return std::nullopt;
  return newest->location();
}

// An on-scene alert of `incident` for `recipients`, in the incident's neighborhood, its text
// in each language they read.
v1::Alert on_scene_alert(const NetworkRules& rules, const v1::Incident& incident,
                         v1::AlertType type, const std::vector<std::string>& recipients,
                         const core::Responder* about, int misses, Clock::time_point now) {
  const auto* where = rules.geo.find(incident.neighborhood());
  const std::string place = where ? where->name : incident.neighborhood();
  const std::string name = about ? about->name : std::string();
  v1::Alert alert;
  alert.set_id(core::new_id("al"));
  alert.set_incident_id(incident.id());
  alert.set_neighborhood(incident.neighborhood());
  alert.set_type(type);
  alert.set_kind(incident.kind());
  *alert.mutable_location() = incident.location();
  *alert.mutable_sent_at() = core::to_timestamp(now);
  if (about) {
    alert.set_about_responder_id(about->id);
    alert.set_about_name(about->name);
  }
  alert.set_missed_check_ins(misses);
  std::set<std::string> languages{"en", "es"};
  for (const auto& id : recipients)
    if (const auto* who = rules.roster.find(id)) languages.insert(rules.writer.language_of(*who));
  for (const auto& language : languages)
    (*alert.mutable_texts())[language] = core::on_scene_text(type, language, name, place, misses);
  alert.set_text(core::on_scene_text(type, "en", name, place, misses));
  for (const auto& id : recipients) alert.add_recipients(id);
  return alert;
}

v1::IncidentEvent on_scene_event(const v1::Incident& incident, const v1::Alert& alert,
                                 const std::string& what) {
  v1::IncidentEvent event;
  event.set_incident_id(incident.id());
  event.set_neighborhood(incident.neighborhood());
  event.set_status(incident.status());
  event.set_what(what);
  *event.mutable_at() = alert.sent_at();
  return event;
}

}  // namespace

OnScene::OnScene(boost::asio::any_io_executor executor, const NetworkRules& rules,
                 store::IncidentStore& store, AvailabilityCopy& availability,
                 store::TimerQueue& checkins, core::Metrics& metrics, AuditTrail& audit,
                 std::chrono::milliseconds poll)
    : timer_(boost::asio::make_strand(executor)),
      rules_(rules),
      store_(store),
      availability_(availability),
      checkins_(checkins),
      metrics_(metrics),
      audit_(audit),
      poll_(poll) {}

void OnScene::start() { schedule_poll(); }

void OnScene::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void OnScene::acked(const core::Responder& who, const v1::Ack& ack, bool duress,
                    std::function<void()> then) {
  if (duress || ack.state() == v1::NEED_HELP) call_for_help(who, ack, duress);
  if (ack.state() == v1::ON_SCENE) check_stand_by_soon(ack.incident_id());
  const auto member = checkin_member(ack.incident_id(), who.id);
  // `then` is moved into the write's callback only on the branches that write.
  auto written = [&then] { return [then = std::move(then)](bool) { then(); }; };
  if (core::starts_checkins(ack.state())) {
    // The first ask is one interval from this ack; a later ALL_OK moves it (the same member).
    // The ack does not say the incident's neighborhood, so this is the shortest interval of any
    // policy: claimed early, handle() puts it back for the incident's own.
    auto first = rules_.policies.network().on_scene.checkin_interval;
    for (const auto& [slug, policy] : rules_.policies.overrides())
      first = std::min(first, policy.on_scene.checkin_interval);
    return checkins_.schedule(member, core::to_time_point(ack.at()) + first, written());
  }
  if (ack.state() == v1::OUT_SAFE) return checkins_.cancel(member, written());
  then();
}

void OnScene::schedule_poll() {
  if (stopped_) return;
  timer_.expires_after(poll_);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->poll();
  });
}

void OnScene::poll() {
  checkins_.claim_due(Clock::now(), kCheckinLease, kCheckinClaimsPerPoll,
                      [self = shared_from_this()](std::vector<std::string> due) {
                        for (const auto& member : due) self->handle(member);
                        boost::asio::post(self->timer_.get_executor(),
                                          [self] { self->schedule_poll(); });
                      });
}

void OnScene::handle(const std::string& member) {
  const auto space = member.find(' ');
  if (space == std::string::npos) return checkins_.complete(member, {});
  const std::string incident_id = member.substr(0, space);
  const std::string responder_id = member.substr(space + 1);
  store_.load(incident_id, [self = shared_from_this(), member, responder_id](
                               store::Outcome outcome, v1::Incident incident) {
    // Redis trouble: leave the lease to run out; the deadline comes back then.
    if (outcome == store::Outcome::unavailable) return;
    if (outcome != store::Outcome::ok) return self->checkins_.complete(member, {});
    auto facts = core::checkin_facts(incident, responder_id);
    auto id = incident.id();  // copied: the callback below takes `incident`
    self->store_.checkin_progress(
        id, responder_id,
        [self, member, responder_id, facts, incident = std::move(incident)](
            std::optional<std::pair<long long, int>> progress) mutable {
          if (!progress) return;  // the lease runs out and it comes back
          const long long anchor_ms = facts.anchor ? checkin_ms(*facts.anchor) : 0;
          const int taken = progress->first == anchor_ms ? progress->second : 0;
          const auto& policy = self->rules_.policy_for(incident.neighborhood()).on_scene;
          auto plan = core::plan_checkin(facts, taken, policy);
          if (plan.outcome == core::CheckinPlan::Outcome::over)
            return self->checkins_.complete(member, {});
          if (!plan.due(Clock::now()))
            // Claimed early (an ALL_OK moved it, or the neighborhood's interval differs from the
            // network's): put it back for its real time.
            return self->checkins_.schedule(member, plan.due_at, [self, member](bool) {
              self->checkins_.complete(member, {});
            });
          self->take_checkin_step(std::move(incident), responder_id, anchor_ms,
                                  static_cast<int>(plan.step));
        });
  });
}

void OnScene::take_checkin_step(v1::Incident incident, const std::string& responder_id,
                                long long anchor_ms, int step) {
  availability_.get([self = shared_from_this(), incident = std::move(incident), responder_id,
                     anchor_ms, step](AvailabilityCopy::Book book) {
    const auto member = checkin_member(incident.id(), responder_id);
    if (!book) return;  // the lease runs out and the step comes back
    const auto now = Clock::now();
    const auto* who = self->rules_.roster.find(responder_id);
    std::vector<v1::Alert> alerts;
    std::string what = "check_in";
    const auto kind = static_cast<core::CheckinStep>(step);
    if (kind == core::CheckinStep::ask || kind == core::CheckinStep::first_miss)
      alerts.push_back(
          on_scene_alert(self->rules_, incident, v1::CHECK_IN, {responder_id}, who, 0, now));
    if (kind != core::CheckinStep::ask) {
      const int misses = kind == core::CheckinStep::first_miss ? 1 : 2;
      auto to = core::help_call_recipients(self->rules_.roster, incident.neighborhood(), now,
                                           self->rules_.zone, book->available_at(now), misses > 1,
                                           responder_id);
      // The board's alert first: the event carries it.
      alerts.insert(alerts.begin(), on_scene_alert(self->rules_, incident, v1::CHECK_IN_MISSED, to,
                                                   who, misses, now));
      what = "check_in_missed";
    }
    const auto& policy = self->rules_.policy_for(incident.neighborhood()).on_scene;
    store::IncidentStore::CheckinStepWrite write;
    write.responder_id = responder_id;
    write.anchor_ms = anchor_ms;
    write.step = step;
    if (step < core::kCheckinSteps)
      write.next_at = Clock::time_point(std::chrono::milliseconds(anchor_ms)) +
                      policy.checkin_interval + step * policy.checkin_grace;
    auto event = on_scene_event(incident, alerts.front(), what);
    self->store_.send_on_scene(
        incident.id(), alerts, event, write, "",
        [self, member, incident_id = incident.id(), responder_id, what, step,
         count = alerts.size()](store::IncidentStore::Sent sent) {
          if (sent.outcome() == store::Outcome::unavailable) return;  // comes back later
          // Another node took it (a lease that ran out), or the incident ended meanwhile.
          if (sent.outcome() != store::Outcome::ok)
            spdlog::info("incident {}: {} step {} for {} not taken", incident_id, what, step,
                         responder_id);
          if (sent.outcome() == store::Outcome::ok) {
            self->metrics_.alerts_published.inc(count);
            spdlog::info("incident {}: {} step {} for {}", incident_id, what, step, responder_id);
            if (what == "check_in_missed")
              self->audit_.record("", "checkin.missed", incident_id,
                                  responder_id + " step " + std::to_string(step));
          }
          self->checkins_.complete(member, {});
        });
  });
}

void OnScene::call_for_help(const core::Responder& who, const v1::Ack& ack, bool duress) {
  store_.load(ack.incident_id(), [self = shared_from_this(), who, ack, duress](
                                     store::Outcome outcome, v1::Incident incident) {
    if (outcome != store::Outcome::ok) {
      spdlog::error("help call of {} for incident {}: the incident could not be read", who.id,
                    ack.incident_id());
      return;
    }
    self->availability_.get([self, who, ack, duress,
                             incident = std::move(incident)](AvailabilityCopy::Book book) {
      const auto now = Clock::now();
      const std::set<std::string> none;
      auto available = book ? book->available_at(now) : none;
      auto to = core::help_call_recipients(self->rules_.roster, incident.neighborhood(), now,
                                           self->rules_.zone, available, true, who.id);
      auto alert = on_scene_alert(self->rules_, incident, v1::HELP_CALL, to, &who, 0, now);
      // Where they are: what this ack shared, else the last they shared for the incident, else
      // the incident's own place.
      if (ack.has_location())
        *alert.mutable_location() = ack.location();
      else if (auto last = last_shared_location(incident, who.id))
        *alert.mutable_location() = *last;
      auto event = on_scene_event(incident, alert, "help_call");
      self->store_.send_on_scene(
          incident.id(), {alert}, event, std::nullopt, "",
          [self, who, incident_id = incident.id(), duress,
           recipients = to.size()](store::IncidentStore::Sent sent) {
            if (sent.outcome() != store::Outcome::ok) {
              spdlog::error("help call of {} for incident {} was not sent", who.id, incident_id);
              return;
            }
            self->metrics_.alerts_published.inc();
            // Audited; the detail says how it was given and how many it reached, never where.
            self->audit_.record(who.id, "help.call", incident_id,
                                std::string(duress ? "duress" : "direct") + ", " +
                                    std::to_string(recipients) + " recipients");
            spdlog::warn("incident {}: help call from {} to {} recipients", incident_id, who.id,
                         recipients);
          });
    });
  });
}

void OnScene::check_stand_by_soon(const std::string& incident_id) {
  boost::asio::post(timer_.get_executor(), [self = shared_from_this(), incident_id] {
    if (self->stopped_ || !self->stand_by_checks_.insert(incident_id).second) return;
    auto gather = std::make_shared<boost::asio::steady_timer>(self->timer_.get_executor());
    gather->expires_after(kStandByGather);
    gather->async_wait([self, gather, incident_id](boost::system::error_code) {
      self->stand_by_checks_.erase(incident_id);
      if (!self->stopped_) self->stand_by_if_quorum(incident_id);
    });
  });
}

void OnScene::stand_by_if_quorum(const std::string& incident_id) {
  store_.load(incident_id, [self = shared_from_this()](store::Outcome outcome,
                                                       v1::Incident incident) {
    if (outcome != store::Outcome::ok) return;
    std::vector<core::AckRecord> acks;
    for (const auto& ack : incident.acks()) {
      core::AckRecord record{ack.responder_id(), {}, ack.state(), core::to_time_point(ack.at())};
      if (const auto* who = self->rules_.roster.find(ack.responder_id())) record.roles = who->roles;
      acks.push_back(std::move(record));
    }
    const auto& policy = self->rules_.policy_for(incident.neighborhood());
    auto to = core::stand_by_recipients(policy.quorum, acks, incident);
    if (!to || to->empty()) return;  // no quorum yet, or nobody left to tell
    const auto now = Clock::now();
    auto alert = on_scene_alert(self->rules_, incident, v1::STAND_BY, *to, nullptr, 0, now);
    auto event = on_scene_event(incident, alert, "stand_by");
    // "stand_by_ms": sent once per incident, whichever node's ack completes the quorum.
    self->store_.send_on_scene(
        incident.id(), {alert}, event, std::nullopt, "stand_by_ms",
        [self, id = incident.id(), n = to->size()](store::IncidentStore::Sent sent) {
          if (sent.outcome() != store::Outcome::ok) return;
          self->metrics_.alerts_published.inc();
          spdlog::info("incident {}: quorum on scene, {} told to stand by", id, n);
        });
  });
}

}  // namespace puente::app
