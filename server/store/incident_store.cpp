#include "store/incident_store.hpp"

#include "store/replies.hpp"
#include "store/scripts.hpp"

#include "core/clock.hpp"
#include "core/idempotency.hpp"
#include "core/ids.hpp"
#include "core/retention.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace puente::store {

namespace {

using redis::Reply;

// A fresh epoch: random, so two Redis histories never share one.
std::string core_new_epoch() { return core::new_id("ep"); }
using Clock = std::chrono::system_clock;

// First element of a script's {"word", ...} answer.
std::string_view verdict(const Reply& reply) {
  if (reply.type != Reply::Type::array || reply.elements.empty()) return {};
  return reply.elements[0].str;
}

std::string element(const Reply& reply, std::size_t i) {
  return i < reply.elements.size() ? reply.elements[i].str : std::string();
}

using core::to_ms;

// Passes `written` on; a successful write only once the replicas hold it (ReplicationBarrier).
void when_replicated(const std::shared_ptr<ReplicationBarrier>& barrier, Outcome written,
                     std::function<void(Outcome)> done) {
  if (written != Outcome::ok) return done(written);
  barrier->after_write([done = std::move(done)](bool stored) { done(stored ? Outcome::ok : Outcome::unavailable); });
}

void set_time_ms(google::protobuf::Timestamp& ts, long long ms) { ts = core::timestamp_from_ms(ms); }

bool located(const v1::Location& l) { return !(l.lat() == 0 && l.lon() == 0); }

// The head fields {pb, status, updated_ms, neighborhood, location, confirmed_ms, step,
// evidence_ms}.
bool parse_head(const std::vector<Reply>& e, v1::Incident& out) {
  if (e.size() < 8 || !out.ParseFromString(e[0].str)) return false;
  int number = std::atoi(e[1].str.c_str());
  if (v1::IncidentStatus_IsValid(number)) out.set_status(static_cast<v1::IncidentStatus>(number));
  set_time_ms(*out.mutable_updated_at(), std::atoll(e[2].str.c_str()));
  if (!e[3].str.empty()) out.set_neighborhood(e[3].str);
  if (!e[4].str.empty()) out.mutable_location()->ParseFromString(e[4].str);
  if (!e[5].str.empty()) set_time_ms(*out.mutable_confirmed_at(), std::atoll(e[5].str.c_str()));
  out.set_escalation_step(std::atoi(e[6].str.c_str()));
  if (!e[7].str.empty()) set_time_ms(*out.mutable_evidence_at(), std::atoll(e[7].str.c_str()));
  return true;
}

// One delivery record per alert and recipient: sent when the alert went out, delivered when
// its socket was first written to (the earliest of the DeliveryBatch entries naming both), seen
// and acked from the acks.
void add_deliveries(v1::Incident& incident, const std::vector<Reply>& batches) {
  std::map<std::pair<std::string, std::string>, long long> delivered;  // (alert, responder) -> ms
  v1::DeliveryBatch batch;
  for (const auto& stored : batches) {
    if (!batch.ParseFromString(stored.str)) continue;
    for (int i = 0; i < batch.responder_ids_size() && i < batch.delays_ms_size(); ++i) {
      const long long ms = batch.written_ms() + batch.delays_ms(i);
      auto [it, fresh] = delivered.try_emplace({batch.alert_id(), batch.responder_ids(i)}, ms);
      if (!fresh) it->second = std::min(it->second, ms);
    }
  }
  for (const auto& alert : incident.alerts()) {
    for (const auto& responder : alert.recipients()) {
      auto* d = incident.add_deliveries();
      d->set_alert_id(alert.id());
      d->set_responder_id(responder);
      *d->mutable_sent_at() = alert.sent_at();
      if (auto it = delivered.find({alert.id(), responder}); it != delivered.end())
        set_time_ms(*d->mutable_delivered_at(), it->second);
      for (const auto& ack : incident.acks()) {
        if (ack.alert_id() != alert.id() || ack.responder_id() != responder) continue;
        if (ack.state() == v1::RECEIVED) {
          if (!d->has_seen_at()) *d->mutable_seen_at() = ack.at();
        } else if (!d->has_acked_at()) {
          *d->mutable_acked_at() = ack.at();
        }
        d->set_last_state(ack.state());
      }
    }
  }
}

// The Acks of one responder's ack_states value: netstrings, two per change ("<alert> <state>",
// the Ack protobuf; scripts::record_ack).
void add_kept_acks(std::string_view kept, std::vector<v1::Ack>& acks) {
  for (int part = 0; !kept.empty(); ++part) {
    const auto colon = kept.find(':');
    if (colon == std::string_view::npos) return;
    std::size_t n = 0;
    for (char c : kept.substr(0, colon)) {
      if (c < '0' || c > '9') return;
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n > kept.size() - colon - 1) return;
    if (part % 2 == 1) {
      v1::Ack ack;
      if (ack.ParseFromArray(kept.data() + colon + 1, static_cast<int>(n))) acks.push_back(std::move(ack));
    }
    kept.remove_prefix(colon + 1 + n);
  }
}

// Appends each alert's quadruple (see publish_all in scripts.cpp) to a script's arguments.
void append_alerts(const Keys& keys, const std::vector<v1::Alert>& alerts, std::vector<std::string>& args) {
  for (const auto& alert : alerts) {
    args.push_back(keys.alert_history(alert.neighborhood()));
    args.push_back(keys.live_channel(alert.neighborhood()));
    args.push_back(alert.SerializeAsString());
    args.push_back(alert.neighborhood());
  }
}

// Rows of {id, status, location pb, head pb, last_report_ms} (near_candidates in scripts.cpp),
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

// The version and the flat {responder, until ms, ...} of availability_book (scripts.cpp).
AvailabilityBook parse_book(const Reply& version, const Reply& flat) {
  AvailabilityBook book{version.str, {}};
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2)
    book.until[flat.elements[i].str] =
        Clock::time_point(std::chrono::milliseconds(std::atoll(flat.elements[i + 1].str.c_str())));
  return book;
}

IncidentStore::Sent outcome_only(Outcome outcome) {
  IncidentStore::Sent sent;
  sent.outcome = outcome;
  return sent;
}

// A repeated idempotency key: what the first request created, "<incident> <report>".
IncidentStore::Sent repeated(const Tagged& earlier) {
  auto sent = outcome_only(Outcome::repeated);
  sent.earlier_incident = earlier.tag;
  sent.earlier_report = earlier.bytes;
  return sent;
}

}  // namespace

std::set<std::string> AvailabilityBook::available_at(Clock::time_point now) const {
  std::set<std::string> ids;
  for (const auto& [id, end] : until)
    if (end > now) ids.insert(id);
  return ids;
}

bool parse_tagged_alert(std::string_view payload, v1::Alert& alert) {
  Tagged tagged;
  if (!split_tagged(payload, tagged) || !alert.ParseFromString(tagged.bytes)) return false;
  alert.set_offset(tagged.tag);
  return true;
}

IncidentStore::IncidentStore(std::shared_ptr<redis::Connection> redis, Keys keys, StoreOptions options)
    : redis_(std::move(redis)), keys_(std::move(keys)), options_(options),
      replication_(std::make_shared<ReplicationBarrier>(redis_, options.replication)) {}

void IncidentStore::run_sending(const redis::Script& script, std::vector<std::string> keys,
                                std::vector<std::string> args, const std::vector<v1::Alert>& alerts,
                                const char* what, std::function<void(Sent)> done) {
  append_alerts(keys_, alerts, args);
  auto replicated = [barrier = replication_, done = std::move(done)](Sent sent) mutable {
    auto written = sent.outcome;
    when_replicated(barrier, written, [sent = std::move(sent), done = std::move(done)](Outcome outcome) mutable {
      if (outcome != sent.outcome) sent = outcome_only(outcome);
      done(std::move(sent));
    });
  };
  script.run(*redis_, std::move(keys), std::move(args), [what, done = std::move(replicated)](auto ec, Reply reply) mutable {
    Sent sent;
    if (failed(ec, reply, what)) {
      sent.outcome = Outcome::unavailable;
      return done(std::move(sent));
    }
    auto word = verdict(reply);
    if (word == "ok") {
      for (std::size_t i = 1; i < reply.elements.size(); ++i) sent.offsets.push_back(reply.elements[i].str);
    } else if (word == "repeat") {
      Tagged earlier;
      split_tagged(element(reply, 1), earlier);
      sent = repeated(earlier);
    } else if (word == "near") {
      sent.outcome = Outcome::near;
      sent.near = parse_candidates(reply.elements, 1);
    } else if (word == "stale" && reply.elements.size() >= 3) {
      sent.outcome = Outcome::stale;
      sent.availability = parse_book(reply.elements[1], reply.elements[2]);
    } else if (word == "reused") {
      sent.outcome = Outcome::reused_key;
    } else if (word == "conflict") {
      sent.outcome = Outcome::conflict;
      sent.current = static_cast<v1::IncidentStatus>(std::atoi(element(reply, 1).c_str()));
    } else {
      sent.outcome = word == "closed" ? Outcome::closed : Outcome::not_found;
    }
    done(std::move(sent));
  });
}

std::string IncidentStore::idempotency_key(const v1::Report& report) const {
  // Keys are per reporter: two operators may pick the same key without colliding.
  const auto& idem = report.idempotency_key();
  return keys_.idempotency(idem.empty() ? "-" : report.reporter_id() + "/" + idem);
}

void IncidentStore::open(const v1::Incident& incident, const v1::Report& report, const std::vector<v1::Alert>& alerts,
                         const v1::IncidentEvent& event, std::optional<Clock::time_point> escalate_at,
                         const OpenChecks& checks, std::function<void(Sent)> done) {
  const auto& id = incident.id();
  const auto& idem = report.idempotency_key();
  const auto& where = incident.location();
  std::vector<std::string> keys{idempotency_key(report),
                                keys_.incident(id),
                                keys_.incident_reports(id),
                                keys_.incidents(),
                                keys_.open_incidents(),
                                keys_.report_log(),
                                keys_.corroborable_places(incident.kind()),
                                keys_.incident_alerts(id),
                                keys_.incident_alerted(id),
                                keys_.incident_reporters(id),
                                keys_.timers(),
                                keys_.incident_activity(),
                                keys_.availability(),
                                keys_.availability_version(),
                                keys_.corroborable()};
  const auto& near = checks.unless_near;
  const auto now = Clock::now();
  std::vector<std::string> args{
      id,                                                                 // 1
      incident.SerializeAsString(),                                       // 2 head
      report.SerializeAsString(),                                         // 3
      std::to_string(incident.status()),                                  // 4
      std::to_string(to_ms(incident.created_at())),                       // 5
      keys_.board_channel(),                                              // 6
      event.SerializeAsString(),                                          // 7
      idem,                                                               // 8
      std::to_string(options_.idempotency_ttl_seconds),                   // 9
      std::to_string(options_.history_max_alerts),                        // 10
      incident.neighborhood(),                                            // 11
      report.id(),                                                        // 12
      where.SerializeAsString(),                                          // 13
      located(where) ? std::to_string(where.lon()) : "",                  // 14
      located(where) ? std::to_string(where.lat()) : "",                  // 15
      std::to_string(incident.kind()),                                    // 16
      report.reporter_id(),                                               // 17
      incident.has_confirmed_at() ? std::to_string(to_ms(incident.confirmed_at())) : "",   // 18
      escalate_at ? std::to_string(to_ms(*escalate_at)) : "",                                // 19
      std::to_string(to_ms(now)),                                                              // 20 activity
      checks.availability_version ? "1" : "",                                                  // 21
      checks.availability_version.value_or(""),                                                // 22
      near && located(where) ? std::to_string(near->meters) : "",                              // 23
      near ? std::to_string(to_ms(near->reported_since)) : "",                                 // 24
      keys_.prefix(),                                                                          // 25
      std::to_string(to_ms(now - options_.corroboration_window)),                              // 26 prune before
      keys_.corroborable_places_prefix(),                                                      // 27
      core::content_digest(report)};                                                           // 28
  run_sending(scripts::open_incident(), std::move(keys), std::move(args), alerts, "open incident", std::move(done));
}

void IncidentStore::attach(const std::string& incident_id, const v1::Report& report,
                           const v1::IncidentEvent& event, std::function<void(Sent, int)> done) {
  std::vector<std::string> keys{keys_.incident(incident_id), keys_.incident_reports(incident_id), keys_.report_log(),
                                keys_.incident_reporters(incident_id), idempotency_key(report),
                                keys_.incident_activity(),             keys_.corroborable()};
  // Stored instead of the report if the incident is evidence (see scripts::attach_report).
  v1::Report without_contact = report;
  core::strip_caller_contact(without_contact);
  std::vector<std::string> args{report.SerializeAsString(),
                                incident_id,
                                std::to_string(to_ms(report.received_at())),
                                report.reporter_id(),
                                keys_.board_channel(),
                                event.SerializeAsString(),
                                report.idempotency_key().empty()
                                    ? ""
                                    : incident_id + " " + report.id() + " " + core::content_digest(report),
                                std::to_string(options_.idempotency_ttl_seconds),
                                std::to_string(to_ms(Clock::now())),
                                without_contact.SerializeAsString(),
                                core::content_digest(report)};
  scripts::attach_report().run(*redis_, std::move(keys), std::move(args), [barrier = replication_, done = std::move(done)](
                                                                             auto ec, Reply reply) mutable {
    Sent sent;
    if (failed(ec, reply, "attach report")) {
      sent.outcome = Outcome::unavailable;
      return done(std::move(sent), 0);
    }
    auto word = verdict(reply);
    if (word == "ok") {
      int reporters = std::atoi(element(reply, 1).c_str());
      return when_replicated(barrier, Outcome::ok, [reporters, done = std::move(done)](Outcome outcome) {
        done(outcome_only(outcome), outcome == Outcome::ok ? reporters : 0);
      });
    }
    if (word == "repeat") {
      Tagged earlier;
      split_tagged(element(reply, 1), earlier);
      sent = repeated(earlier);
      return done(std::move(sent), 0);
    }
    if (word == "reused") return done(outcome_only(Outcome::reused_key), 0);
    sent.outcome = word == "closed" ? Outcome::closed : Outcome::not_found;
    done(std::move(sent), 0);
  });
}

void IncidentStore::advance(const std::string& incident_id, const StatusChange& change,
                            const std::vector<v1::Alert>& alerts, const v1::IncidentEvent& event,
                            std::function<void(Sent)> done) {
  bool closes = change.to == v1::FALSE_ALARM || change.to == v1::RESOLVED;
  std::vector<std::string> keys{keys_.incident(incident_id),         keys_.open_incidents(),
                                keys_.corroborable(),                keys_.incident_alerts(incident_id),
                                keys_.incident_alerted(incident_id), keys_.timers(),
                                keys_.leased_timers(),               keys_.incident_activity(),
                                keys_.availability(),                keys_.availability_version()};
  const v1::Location* moved = change.new_location ? &*change.new_location : nullptr;
  std::vector<std::string> args{
      std::to_string(change.from),                                                       // 1
      std::to_string(change.to),                                                         // 2
      std::to_string(to_ms(Clock::now())),                                               // 3 updated
      keys_.board_channel(),                                                             // 4
      event.SerializeAsString(),                                                         // 5
      std::to_string(options_.history_max_alerts),                                       // 6
      incident_id,                                                                       // 7
      closes ? "1" : "0",                                                                // 8
      change.confirmed_at ? std::to_string(to_ms(*change.confirmed_at)) : "",            // 9
      change.moved_to.value_or(""),                                                      // 10
      moved ? moved->SerializeAsString() : "",                                           // 11
      moved ? std::to_string(moved->lon()) : "",                                         // 12
      moved ? std::to_string(moved->lat()) : "",                                         // 13
      change.escalate_at ? std::to_string(to_ms(*change.escalate_at)) : "",              // 14
      keys_.corroborable_places_prefix(),                                                // 15
      change.availability_version ? "1" : "",                                            // 16
      change.availability_version.value_or("")};                                         // 17
  run_sending(scripts::advance_incident(), std::move(keys), std::move(args), alerts, "advance incident",
              std::move(done));
}

void IncidentStore::escalate(const std::string& incident_id, int step, const std::vector<v1::Alert>& alerts,
                             const v1::IncidentEvent& event, std::optional<Clock::time_point> next_at,
                             const std::string& availability_version, std::function<void(Sent)> done) {
  std::vector<std::string> keys{keys_.incident(incident_id),         keys_.incident_alerts(incident_id),
                                keys_.incident_alerted(incident_id), keys_.timers(),
                                keys_.incident_activity(),           keys_.availability(),
                                keys_.availability_version()};
  std::vector<std::string> args{std::to_string(step - 1),
                                std::to_string(step),
                                std::to_string(to_ms(Clock::now())),
                                keys_.board_channel(),
                                event.SerializeAsString(),
                                std::to_string(options_.history_max_alerts),
                                next_at ? std::to_string(to_ms(*next_at)) : "",
                                incident_id,
                                "1",
                                availability_version};
  run_sending(scripts::escalate_incident(), std::move(keys), std::move(args), alerts, "escalate incident",
              std::move(done));
}

void IncidentStore::record_ack(const v1::Ack& ack, const v1::IncidentEvent& event, std::function<void(Outcome)> done) {
  const auto& idem = ack.idempotency_key();
  const auto& id = ack.incident_id();
  std::vector<std::string> keys{keys_.incident(id), keys_.incident_ack_states(id), keys_.ack_log(),
                                keys_.idempotency("ack/" + ack.responder_id() + "/" + (idem.empty() ? "-" : idem)),
                                keys_.incident_activity()};
  std::vector<std::string> args{ack.SerializeAsString(),
                                keys_.board_channel(),
                                event.SerializeAsString(),
                                id,
                                idem.empty() ? "" : std::to_string(options_.idempotency_ttl_seconds),
                                std::to_string(to_ms(Clock::now())),
                                ack.responder_id(),
                                core::content_digest(ack),
                                std::to_string(std::max<std::size_t>(1, options_.ack_history_per_responder)),
                                ack.alert_id(),
                                std::to_string(ack.state())};
  scripts::record_ack().run(*redis_, std::move(keys), std::move(args), [barrier = replication_, done = std::move(done)](
                                                                          auto ec, Reply reply) mutable {
    if (failed(ec, reply, "record ack")) return done(Outcome::unavailable);
    auto word = verdict(reply);
    auto outcome = word == "ok"                        ? Outcome::ok
                   : word == "repeat" || word == "same" ? Outcome::repeated
                   : word == "reused"                   ? Outcome::reused_key
                                                        : Outcome::not_found;
    when_replicated(barrier, outcome, std::move(done));
  });
}

void IncidentStore::load_alerts(const std::string& incident_id, std::function<void(Outcome, v1::Incident)> done) {
  scripts::load_alerts().run(*redis_, {keys_.incident(incident_id), keys_.incident_alerts(incident_id)}, {},
                             [done = std::move(done)](auto ec, Reply reply) {
                               v1::Incident incident;
                               if (failed(ec, reply, "load alerts")) return done(Outcome::unavailable, incident);
                               const auto& e = reply.elements;
                               if (e.size() < 9 || !parse_head(e, incident)) return done(Outcome::not_found, incident);
                               for (const auto& a : e[8].elements) parse_tagged_alert(a.str, *incident.add_alerts());
                               done(Outcome::ok, std::move(incident));
                             });
}

void IncidentStore::mark_delivered(const std::string& incident_id, const std::string& alert_id,
                                   const std::vector<Delivered>& deliveries) {
  if (deliveries.empty()) return;
  const auto first = std::min_element(deliveries.begin(), deliveries.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; })->second;
  v1::DeliveryBatch batch;
  batch.set_alert_id(alert_id);
  batch.set_written_ms(to_ms(first));
  for (const auto& [responder_id, at] : deliveries) {
    batch.add_responder_ids(responder_id);
    batch.add_delays_ms(static_cast<std::uint32_t>(to_ms(at) - batch.written_ms()));
  }
  redis_->execute({"RPUSH", keys_.incident_deliveries(incident_id), batch.SerializeAsString()},
                  [](auto ec, const Reply& reply) { failed(ec, reply, "mark delivered"); });
}

void IncidentStore::load(const std::string& incident_id, std::function<void(Outcome, v1::Incident)> done) {
  std::vector<std::string> keys{keys_.incident(incident_id),          keys_.incident_reports(incident_id),
                                keys_.incident_alerts(incident_id),   keys_.incident_acks(incident_id),
                                keys_.incident_alerted(incident_id),  keys_.incident_reporters(incident_id),
                                keys_.incident_deliveries(incident_id), keys_.incident_ack_states(incident_id)};
  scripts::load_incident().run(*redis_, std::move(keys), {}, [done = std::move(done)](auto ec, Reply reply) {
    v1::Incident incident;
    if (failed(ec, reply, "load incident")) return done(Outcome::unavailable, incident);
    const auto& e = reply.elements;
    if (e.size() < 15 || !parse_head(e, incident)) return done(Outcome::not_found, incident);
    for (const auto& r : e[8].elements) incident.add_reports()->ParseFromString(r.str);
    for (const auto& a : e[9].elements) parse_tagged_alert(a.str, *incident.add_alerts());
    std::vector<v1::Ack> acks;
    for (const auto& k : e[10].elements) acks.emplace_back().ParseFromString(k.str);  // as kept before issue 15
    for (const auto& kept : e[14].elements) add_kept_acks(kept.str, acks);
    std::stable_sort(acks.begin(), acks.end(),
                     [](const v1::Ack& a, const v1::Ack& b) { return to_ms(a.at()) < to_ms(b.at()); });
    for (auto& ack : acks) *incident.add_acks() = std::move(ack);
    std::vector<std::string> alerted;
    for (const auto& n : e[11].elements) alerted.push_back(n.str);
    std::sort(alerted.begin(), alerted.end());
    for (auto& n : alerted) incident.add_alerted_neighborhoods(std::move(n));
    incident.set_reporters(static_cast<int>(e[12].integer));
    add_deliveries(incident, e[13].elements);
    done(Outcome::ok, std::move(incident));
  });
}

void IncidentStore::list(bool open_only, std::size_t limit,
                         std::function<void(Outcome, std::vector<v1::Incident>)> done) {
  std::vector<std::string> keys{open_only ? keys_.open_incidents() : keys_.incidents()};
  std::vector<std::string> args{std::to_string(limit), keys_.prefix()};
  scripts::list_incidents().run(*redis_, std::move(keys), std::move(args), [done = std::move(done)](auto ec, Reply reply) {
    std::vector<v1::Incident> incidents;
    if (failed(ec, reply, "list incidents")) return done(Outcome::unavailable, incidents);
    for (const auto& head : reply.elements) {
      v1::Incident incident;
      if (parse_head(head.elements, incident)) incidents.push_back(std::move(incident));
    }
    done(Outcome::ok, std::move(incidents));
  });
}

void IncidentStore::replay(const std::string& slug, const std::string& after_offset, std::size_t limit,
                           std::function<void(Outcome, std::vector<v1::Alert>)> done) {
  std::vector<std::string> args{"XRANGE", keys_.alert_history(slug), "(" + after_offset, "+", "COUNT",
                                std::to_string(limit)};
  redis_->execute(std::move(args), [done = std::move(done)](auto ec, Reply reply) {
    std::vector<v1::Alert> alerts;
    if (failed(ec, reply, "replay alerts")) return done(Outcome::unavailable, alerts);
    // Each entry: [id, [field, value, ...]].
    for (const auto& entry : reply.elements) {
      if (entry.elements.size() < 2) continue;
      const auto& fields = entry.elements[1].elements;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str != "pb") continue;
        v1::Alert alert;
        if (alert.ParseFromString(fields[i + 1].str)) {
          alert.set_offset(entry.elements[0].str);
          alerts.push_back(std::move(alert));
        }
      }
    }
    done(Outcome::ok, std::move(alerts));
  });
}

void IncidentStore::recovery_check(const std::vector<std::pair<std::string, std::string>>& since,
                                   std::function<void(Outcome, std::string, bool)> done) {
  std::vector<std::string> keys{keys_.epoch()};
  std::vector<std::string> args{core_new_epoch()};
  for (const auto& [slug, offset] : since) {
    keys.push_back(keys_.alert_history(slug));
    args.push_back(offset);
  }
  scripts::recovery_check().run(*redis_, std::move(keys), std::move(args), [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "recovery check")) return done(Outcome::unavailable, {}, false);
    done(Outcome::ok, element(reply, 0), reply.elements.size() > 1 && reply.elements[1].integer == 1);
  });
}

void IncidentStore::set_available(const std::string& responder_id, std::optional<Clock::time_point> until,
                                  std::function<void(bool)> done) {
  scripts::set_availability().run(*redis_, {keys_.availability(), keys_.availability_version()},
                                  {responder_id, until ? std::to_string(to_ms(*until)) : "", core::new_id("av")},
                                  [done = std::move(done)](auto ec, const Reply& reply) {
                                    done(!failed(ec, reply, "set availability"));
                                  });
}

void IncidentStore::availability(std::function<void(Outcome, AvailabilityBook)> done) {
  scripts::read_availability().run(*redis_, {keys_.availability(), keys_.availability_version()}, {},
                                   [done = std::move(done)](auto ec, Reply reply) {
                                     if (failed(ec, reply, "read availability") || reply.elements.size() < 2)
                                       return done(Outcome::unavailable, {});
                                     done(Outcome::ok, parse_book(reply.elements[0], reply.elements[1]));
                                   });
}

void IncidentStore::available(Clock::time_point now, std::function<void(Outcome, std::set<std::string>)> done) {
  availability([now, done = std::move(done)](Outcome outcome, AvailabilityBook book) {
    done(outcome, outcome == Outcome::ok ? book.available_at(now) : std::set<std::string>{});
  });
}

}  // namespace puente::store
