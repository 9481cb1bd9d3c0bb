#include "store/incident_store.hpp"

#include "store/replies.hpp"
#include "store/scripts.hpp"

#include "core/clock.hpp"
#include "core/idempotency.hpp"
#include "core/ids.hpp"
#include "core/retention.hpp"

#include <algorithm>

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

bool located(const v1::Location& l) { return !(l.lat() == 0 && l.lon() == 0); }

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
