#include "store/incident_store.hpp"

#include "store/alert_bytes.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

#include "puente/v1/wire_fields.hpp"

#include "core/clock.hpp"
#include "core/idempotency.hpp"
#include "core/ids.hpp"
#include "core/retention.hpp"

#include <algorithm>
#include <charconv>

namespace puente::store {

namespace {

using redis::Reply;

// A fresh epoch: random, so two Redis histories never share one.
std::string core_new_epoch() { return core::new_id("ep"); }
using Clock = std::chrono::system_clock;

using core::to_ms;

bool located(const v1::Location& l) { return !(l.lat() == 0 && l.lon() == 0); }

// As std::to_string prints a double ("%f": six decimals, about 0.1 m of a degree), without
// printf: its format parsed and its decimal conversion were ~1,800 instructions a number, three
// a report (issue 22).
std::string six_decimals(double value) {
  char digits[32];
  const auto end =
      std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, 6).ptr;
  return std::string(digits, end);
}

// What every script that sends an incident's alerts is given: where the incident's alerts and
// the neighborhoods alerted are kept, the board's channel and the event to tell it, the alerts
// (their count, then each alert's history as a tail key and its channel, protobuf,
// neighborhood and id as tail arguments: publish_all in lua/helpers.lua), and when the rung
// worker first looks at each (StoreOptions::rung_check_after; none without it). An event
// without an alert goes out carrying the first of `alerts` (incident_store.hpp).
template <class Script>
void add_alerts(ScriptCall<Script>& call, const Keys& keys, const std::string& incident_id,
                const v1::IncidentEvent& event, const std::vector<v1::Alert>& alerts,
                std::optional<std::chrono::milliseconds> rung_check_after) {
  // Each alert serialized once (alert_bytes.hpp): whole into the event, cut into history.
  std::string event_bytes = event.SerializeAsString();
  std::vector<std::string> stored;
  stored.reserve(alerts.size());
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    auto bytes = alert_bytes(alerts[i]);
    if (i == 0 && !event.has_alert())
      wire::append_length_delimited(event_bytes, v1::IncidentEvent::kAlertFieldNumber, bytes.whole);
    stored.push_back(std::move(bytes.stored));
  }
  call.key(Script::Key::incident_alerts, keys.incident_alerts(incident_id))
      .key(Script::Key::alerted, keys.incident_alerted(incident_id))
      .arg(Script::Arg::board, keys.board_channel())
      .arg(Script::Arg::event, std::move(event_bytes));
  call.key(Script::Key::rungs, keys.rungs())
      .arg(Script::Arg::rung_due_ms,
           rung_check_after ? std::to_string(to_ms(Clock::now() + *rung_check_after)) : "");
  call.arg(Script::Arg::alert_count, std::to_string(alerts.size()));
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const auto& alert = alerts[i];
    call.tail_key(keys.alert_history(alert.neighborhood()));
    call.tail_arg(keys.live_channel(alert.neighborhood()));
    call.tail_arg(std::move(stored[i]));
    call.tail_arg(alert.neighborhood());
    call.tail_arg(alert.id());
  }
}

// Rows of {id, status, location pb, head pb, last_report_ms} (near_candidates in lua/helpers.lua),
// from element `first` on.
std::vector<Candidate> parse_candidates(const std::vector<Reply>& rows, std::size_t first) {
  std::vector<Candidate> found;
  for (std::size_t i = first; i < rows.size(); ++i) {
    const auto& row = rows[i].elements;
    if (row.size() < 5) continue;
    Candidate c;
    if (!c.head.ParseFromString(row[3].str)) continue;
    c.head.set_status(static_cast<v1::IncidentStatus>(std::atoi(row[1].str.c_str())));
    if (!row[2].str.empty()) c.head.mutable_location()->ParseFromString(row[2].str);
    c.last_report_at = Clock::time_point(std::chrono::milliseconds(std::atoll(row[4].str.c_str())));
    found.push_back(std::move(c));
  }
  return found;
}

IncidentStore::Sent outcome_only(Outcome outcome) {
  if (outcome == Outcome::ok) return {IncidentStore::Sent::Written{}};
  return {IncidentStore::Sent::Refused{outcome}};
}

// A repeated idempotency key: what the first request created, "<incident> <report>".
IncidentStore::Sent repeated(const Tagged& earlier) {
  return {IncidentStore::Sent::Repeated{earlier.tag, earlier.bytes}};
}

}  // namespace

void IncidentStore::when_replicated(const std::shared_ptr<ReplicationBarrier>& barrier,
                                    Outcome written, std::function<void(Outcome)> done) {
  if (written != Outcome::ok) return done(written);
  barrier->after_write(
      [done = std::move(done)](bool stored) { done(stored ? Outcome::ok : Outcome::unavailable); });
}

Outcome IncidentStore::Sent::outcome() const {
  struct Of {
    Outcome operator()(const Written&) const { return Outcome::ok; }
    Outcome operator()(const Repeated&) const { return Outcome::repeated; }
    Outcome operator()(const Conflict&) const { return Outcome::conflict; }
    Outcome operator()(const Near&) const { return Outcome::near; }
    Outcome operator()(const Stale&) const { return Outcome::stale; }
    Outcome operator()(const Refused& r) const { return r.outcome; }
  };
  return std::visit(Of{}, what);
}

IncidentStore::IncidentStore(std::shared_ptr<redis::Connection> redis, Keys keys,
                             StoreOptions options)
    : redis_(std::move(redis)),
      keys_(std::move(keys)),
      options_(options),
      replication_(std::make_shared<ReplicationBarrier>(redis_, options.replication)) {}

redis::ReplyHandler IncidentStore::sent_handler(const char* what,
                                                std::function<void(Sent)> done) const {
  auto replicated = [barrier = replication_, done = std::move(done)](Sent sent) mutable {
    auto written = sent.outcome();
    when_replicated(
        barrier, written,
        [sent = std::move(sent), written, done = std::move(done)](Outcome outcome) mutable {
          if (outcome != written) sent = outcome_only(outcome);
          done(std::move(sent));
        });
  };
  return [what, done = std::move(replicated)](auto ec, Reply reply) mutable {
    if (failed(ec, reply, what)) return done(outcome_only(Outcome::unavailable));
    auto word = verdict(reply);
    if (word == "ok") {
      Sent::Written written;
      for (std::size_t i = 1; i < reply.elements.size(); ++i)
        written.offsets.push_back(reply.elements[i].str);
      return done({std::move(written)});
    }
    if (word == "held") return done({Sent::Written{{}, true}});
    if (word == "repeat") {
      Tagged earlier;
      split_tagged(element(reply, 1), earlier);
      return done(repeated(earlier));
    }
    if (word == "near") return done({Sent::Near{parse_candidates(reply.elements, 1)}});
    if (word == "stale" && reply.elements.size() >= 3)
      return done(
          {Sent::Stale{AvailabilityBook::from_reply(reply.elements[1], reply.elements[2])}});
    if (word == "reused") return done(outcome_only(Outcome::reused_key));
    if (word == "conflict")
      return done(
          {Sent::Conflict{static_cast<v1::IncidentStatus>(std::atoi(element(reply, 1).c_str()))}});
    done(outcome_only(word == "closed" ? Outcome::closed : Outcome::not_found));
  };
}

std::string IncidentStore::idempotency_key(const v1::Report& report) const {
  // Keys are per reporter: two operators may pick the same key without colliding.
  const auto& idem = report.idempotency_key();
  return keys_.idempotency(idem.empty() ? "-" : report.reporter_id() + "/" + idem);
}

void IncidentStore::open(const v1::Incident& incident, const v1::Report& report,
                         const std::string& reporter, const std::vector<v1::Alert>& alerts,
                         const v1::IncidentEvent& event,
                         std::optional<Clock::time_point> escalate_at, const OpenChecks& checks,
                         std::function<void(Sent)> done) {
  using Key = lua::OpenIncident::Key;
  using Arg = lua::OpenIncident::Arg;
  const auto& id = incident.id();
  const auto& where = incident.location();
  const auto& near = checks.unless_near;
  const auto digest = core::content_digest(report);
  ScriptCall<lua::OpenIncident> call;
  call.key(Key::idempotency, idempotency_key(report))
      .key(Key::incident, keys_.incident(id))
      .key(Key::reports, keys_.incident_reports(id))
      .key(Key::incidents, keys_.incidents())
      .key(Key::open_incidents, keys_.open_incidents())
      .key(Key::report_log, keys_.report_log())
      .key(Key::places, keys_.corroborable_places(incident.kind()))
      .key(Key::reporters, keys_.incident_reporters(id))
      .key(Key::timers, keys_.timers())
      .key(Key::activity, keys_.incident_activity())
      .key(Key::book, keys_.availability())
      .key(Key::book_version, keys_.availability_version())
      .key(Key::corroborable, keys_.corroborable())
      .key(Key::unverified, keys_.unverified(incident.neighborhood()));
  const auto now = Clock::now();
  const auto& cap = checks.unverified_cap;
  call.arg(Arg::id, id)
      .arg(Arg::head, incident.SerializeAsString())
      .arg(Arg::report, report.SerializeAsString())
      .arg(Arg::status, std::to_string(incident.status()))
      .arg(Arg::created_ms, std::to_string(to_ms(incident.created_at())))
      .arg(Arg::idempotency_key, report.idempotency_key())
      .arg(Arg::idempotency_ttl, std::to_string(options_.idempotency_ttl_seconds))
      .arg(Arg::history_max, std::to_string(options_.history_max_alerts))
      .arg(Arg::neighborhood, incident.neighborhood())
      .arg(Arg::report_id, report.id())
      .arg(Arg::lon, located(where) ? six_decimals(where.lon()) : "")
      .arg(Arg::lat, located(where) ? six_decimals(where.lat()) : "")
      .arg(Arg::kind, std::to_string(incident.kind()))
      .arg(Arg::reporter, reporter)
      .arg(Arg::confirmed_ms,
           incident.has_confirmed_at() ? std::to_string(to_ms(incident.confirmed_at())) : "")
      .arg(Arg::escalate_ms, escalate_at ? std::to_string(to_ms(*escalate_at)) : "")
      .arg(Arg::now_ms, std::to_string(to_ms(now)))
      .arg(Arg::check_book, checks.availability_version ? "1" : "")
      .arg(Arg::expected_book, checks.availability_version.value_or(""))
      .arg(Arg::near_meters, near && located(where) ? six_decimals(near->meters) : "")
      .arg(Arg::near_since_ms, near ? std::to_string(to_ms(near->reported_since)) : "")
      .arg(Arg::prefix, keys_.prefix())
      .arg(Arg::prune_before_ms, std::to_string(to_ms(now - options_.corroboration_window)))
      .arg(Arg::digest, digest.short_form)
      .arg(Arg::unverified_cap, cap ? std::to_string(cap->cap) : "")
      .arg(Arg::unverified_since_ms, cap ? std::to_string(to_ms(cap->since)) : "")
      .arg(Arg::held_event, cap ? cap->held_event.SerializeAsString() : "")
      .arg(Arg::digest_hex, digest.hex);
  add_alerts(call, keys_, id, event, alerts, options_.rung_check_after);
  std::move(call).run(*redis_, sent_handler("open incident", std::move(done)));
}

void IncidentStore::approve(const std::string& incident_id, const std::string& approver,
                            const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
                            std::optional<Clock::time_point> escalate_at,
                            std::function<void(Sent)> done) {
  using Key = lua::ApproveIncident::Key;
  using Arg = lua::ApproveIncident::Arg;
  ScriptCall<lua::ApproveIncident> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::timers, keys_.timers())
      .key(Key::activity, keys_.incident_activity());
  call.arg(Arg::id, incident_id)
      .arg(Arg::approver, approver)
      .arg(Arg::now_ms, std::to_string(to_ms(Clock::now())))
      .arg(Arg::escalate_ms, escalate_at ? std::to_string(to_ms(*escalate_at)) : "")
      .arg(Arg::history_max, std::to_string(options_.history_max_alerts));
  add_alerts(call, keys_, incident_id, event, alerts, options_.rung_check_after);
  std::move(call).run(*redis_, sent_handler("approve incident", std::move(done)));
}

void IncidentStore::attach(const std::string& incident_id, const v1::Report& report,
                           const std::string& reporter, const v1::IncidentEvent& event,
                           std::function<void(Sent, int)> done) {
  using Key = lua::AttachReport::Key;
  using Arg = lua::AttachReport::Arg;
  // Stored instead of the report if the incident is evidence (see lua/attach_report.lua).
  v1::Report without_contact = report;
  core::strip_caller_contact(without_contact);
  const auto digest = core::content_digest(report);
  ScriptCall<lua::AttachReport> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::reports, keys_.incident_reports(incident_id))
      .key(Key::report_log, keys_.report_log())
      .key(Key::reporters, keys_.incident_reporters(incident_id))
      .key(Key::idempotency, idempotency_key(report))
      .key(Key::activity, keys_.incident_activity())
      .key(Key::corroborable, keys_.corroborable());
  call.arg(Arg::report, report.SerializeAsString())
      .arg(Arg::id, incident_id)
      .arg(Arg::received_ms, std::to_string(to_ms(report.received_at())))
      .arg(Arg::reporter, reporter)
      .arg(Arg::board, keys_.board_channel())
      .arg(Arg::event, event.SerializeAsString())
      .arg(Arg::remembered, report.idempotency_key().empty()
                                ? ""
                                : incident_id + " " + report.id() + " " + digest.short_form)
      .arg(Arg::idempotency_ttl, std::to_string(options_.idempotency_ttl_seconds))
      .arg(Arg::now_ms, std::to_string(to_ms(Clock::now())))
      .arg(Arg::without_contact, without_contact.SerializeAsString())
      .arg(Arg::digest, digest.short_form)
      .arg(Arg::report_id, report.id())
      .arg(Arg::digest_hex, digest.hex);
  std::move(call).run(
      *redis_, [barrier = replication_, done = std::move(done)](auto ec, Reply reply) mutable {
        if (failed(ec, reply, "attach report")) return done(outcome_only(Outcome::unavailable), 0);
        auto word = verdict(reply);
        if (word == "ok") {
          int reporters = std::atoi(element(reply, 1).c_str());
          return when_replicated(
              barrier, Outcome::ok, [reporters, done = std::move(done)](Outcome outcome) {
                done(outcome_only(outcome), outcome == Outcome::ok ? reporters : 0);
              });
        }
        if (word == "repeat") {
          Tagged earlier;
          split_tagged(element(reply, 1), earlier);
          return done(repeated(earlier), 0);
        }
        if (word == "reused") return done(outcome_only(Outcome::reused_key), 0);
        done(outcome_only(word == "closed" ? Outcome::closed : Outcome::not_found), 0);
      });
}

void IncidentStore::advance(const std::string& incident_id, const StatusChange& change,
                            const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
                            std::function<void(Sent)> done) {
  using Key = lua::AdvanceIncident::Key;
  using Arg = lua::AdvanceIncident::Arg;
  const bool closes = change.to == v1::FALSE_ALARM || change.to == v1::RESOLVED;
  const bool reopens = (change.from == v1::FALSE_ALARM || change.from == v1::RESOLVED) && !closes;
  const v1::Location* moved = change.new_location ? &*change.new_location : nullptr;
  ScriptCall<lua::AdvanceIncident> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::open_incidents, keys_.open_incidents())
      .key(Key::corroborable, keys_.corroborable())
      .key(Key::places, keys_.corroborable_places(change.kind))
      .key(Key::timers, keys_.timers())
      .key(Key::leased_timers, keys_.leased_timers())
      .key(Key::activity, keys_.incident_activity())
      .key(Key::book, keys_.availability())
      .key(Key::book_version, keys_.availability_version());
  call.arg(Arg::from_status, std::to_string(change.from))
      .arg(Arg::to_status, std::to_string(change.to))
      .arg(Arg::now_ms, std::to_string(to_ms(Clock::now())))
      .arg(Arg::history_max, std::to_string(options_.history_max_alerts))
      .arg(Arg::id, incident_id)
      .arg(Arg::closes, closes ? "1" : "0")
      .arg(Arg::confirmed_ms,
           change.confirmed_at ? std::to_string(to_ms(*change.confirmed_at)) : "")
      .arg(Arg::moved_to, change.moved_to.value_or(""))
      .arg(Arg::moved_to_name, change.moved_to_name)
      .arg(Arg::reopens, reopens ? "1" : "0")
      .arg(Arg::kind, std::to_string(change.kind))
      .arg(Arg::location, moved ? moved->SerializeAsString() : "")
      .arg(Arg::lon, moved ? std::to_string(moved->lon()) : "")
      .arg(Arg::lat, moved ? std::to_string(moved->lat()) : "")
      .arg(Arg::escalate_ms, change.escalate_at ? std::to_string(to_ms(*change.escalate_at)) : "")
      .arg(Arg::check_book, change.availability_version ? "1" : "")
      .arg(Arg::expected_book, change.availability_version.value_or(""));
  add_alerts(call, keys_, incident_id, event, alerts, options_.rung_check_after);
  std::move(call).run(*redis_, sent_handler("advance incident", std::move(done)));
}

void IncidentStore::escalate(const std::string& incident_id, int step,
                             const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
                             std::optional<Clock::time_point> next_at,
                             const std::string& availability_version,
                             std::function<void(Sent)> done) {
  using Key = lua::EscalateIncident::Key;
  using Arg = lua::EscalateIncident::Arg;
  ScriptCall<lua::EscalateIncident> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::timers, keys_.timers())
      .key(Key::activity, keys_.incident_activity())
      .key(Key::book, keys_.availability())
      .key(Key::book_version, keys_.availability_version());
  call.arg(Arg::from_step, std::to_string(step - 1))
      .arg(Arg::to_step, std::to_string(step))
      .arg(Arg::now_ms, std::to_string(to_ms(Clock::now())))
      .arg(Arg::history_max, std::to_string(options_.history_max_alerts))
      .arg(Arg::next_ms, next_at ? std::to_string(to_ms(*next_at)) : "")
      .arg(Arg::id, incident_id)
      .arg(Arg::check_book, "1")
      .arg(Arg::expected_book, availability_version);
  add_alerts(call, keys_, incident_id, event, alerts, options_.rung_check_after);
  std::move(call).run(*redis_, sent_handler("escalate incident", std::move(done)));
}

void IncidentStore::send_on_scene(const std::string& incident_id,
                                  const std::vector<v1::Alert>& alerts,
                                  const v1::IncidentEvent& event,
                                  const std::optional<CheckinStepWrite>& checkin,
                                  const std::string& once, std::function<void(Sent)> done) {
  using Key = lua::SendOnScene::Key;
  using Arg = lua::SendOnScene::Arg;
  ScriptCall<lua::SendOnScene> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::activity, keys_.incident_activity())
      // Always the real key, used or not: a key outside the prefix ("") is refused by the
      // nodes' Redis ACL user (deploy/redis/users.acl), which would lose the stand-by alert.
      .key(Key::checkin_timers, keys_.checkins());
  call.arg(Arg::id, incident_id)
      .arg(Arg::now_ms, std::to_string(to_ms(Clock::now())))
      .arg(Arg::history_max, std::to_string(options_.history_max_alerts))
      .arg(Arg::responder, checkin ? checkin->responder_id : "")
      .arg(Arg::anchor_ms, checkin ? std::to_string(checkin->anchor_ms) : "")
      .arg(Arg::step, checkin ? std::to_string(checkin->step) : "")
      .arg(Arg::next_ms,
           checkin && checkin->next_at ? std::to_string(to_ms(*checkin->next_at)) : "")
      .arg(Arg::once, once);
  add_alerts(call, keys_, incident_id, event, alerts, options_.rung_check_after);
  std::move(call).run(*redis_, sent_handler("send on-scene alerts", std::move(done)));
}

void IncidentStore::recovery_check(const std::vector<std::pair<std::string, std::string>>& since,
                                   std::function<void(Outcome, std::string, bool)> done) {
  ScriptCall<lua::RecoveryCheck> call;
  call.key(lua::RecoveryCheck::Key::epoch_key, keys_.epoch())
      .arg(lua::RecoveryCheck::Arg::new_epoch, core_new_epoch());
  for (const auto& [slug, offset] : since) {
    call.tail_key(keys_.alert_history(slug));
    call.tail_arg(offset);
  }
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "recovery check")) return done(Outcome::unavailable, {}, false);
    done(Outcome::ok, element(reply, 0),
         reply.elements.size() > 1 && reply.elements[1].integer == 1);
  });
}

}  // namespace puente::store
