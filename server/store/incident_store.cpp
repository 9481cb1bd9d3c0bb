#include "store/incident_store.hpp"

#include "store/scripts.hpp"

#include <spdlog/spdlog.h>

namespace puente::store {

namespace {

using redis::Reply;

bool failed(boost::system::error_code ec, const Reply& reply, std::string_view what) {
  if (ec) {
    spdlog::warn("redis {}: {}", what, ec.message());
    return true;
  }
  if (reply.is_error()) {
    spdlog::error("redis {}: {}", what, reply.str);
    return true;
  }
  return false;
}

// First element of a script's {"word", ...} answer.
std::string_view verdict(const Reply& reply) {
  if (reply.type != Reply::Type::array || reply.elements.empty()) return {};
  return reply.elements[0].str;
}

std::string element(const Reply& reply, std::size_t i) {
  return i < reply.elements.size() ? reply.elements[i].str : std::string();
}

void set_time_ms(google::protobuf::Timestamp& ts, long long ms) {
  ts.set_seconds(ms / 1000);
  ts.set_nanos(static_cast<int>(ms % 1000) * 1000000);
}

long long to_ms(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000 + ts.nanos() / 1000000;
}

// Head fields {pb, status, updated_ms} into an Incident.
bool parse_head(const Reply& pb, const Reply& status, const Reply& updated_ms, v1::Incident& out) {
  if (!out.ParseFromString(pb.str)) return false;
  int number = std::atoi(status.str.c_str());
  if (v1::IncidentStatus_IsValid(number)) out.set_status(static_cast<v1::IncidentStatus>(number));
  set_time_ms(*out.mutable_updated_at(), std::atoll(updated_ms.str.c_str()));
  return true;
}

}  // namespace

bool parse_tagged_alert(std::string_view payload, v1::Alert& alert) {
  Tagged tagged;
  if (!split_tagged(payload, tagged) || !alert.ParseFromString(tagged.bytes)) return false;
  alert.set_offset(tagged.tag);
  return true;
}

IncidentStore::IncidentStore(std::shared_ptr<redis::Connection> redis, Keys keys, StoreOptions options)
    : redis_(std::move(redis)), keys_(std::move(keys)), options_(options) {}

void IncidentStore::open(const v1::Incident& incident, const v1::Report& report,
                         const v1::Alert& alert, const v1::IncidentEvent& event,
                         std::function<void(Opened)> done) {
  const auto& id = incident.id();
  const auto& idem = report.idempotency_key();
  // Keys are per reporter: two operators may pick the same key without colliding.
  std::vector<std::string> keys{keys_.idempotency(idem.empty() ? "-" : report.reporter_id() + "/" + idem),
                                keys_.incident(id),
                                keys_.incident_reports(id),
                                keys_.incidents(),
                                keys_.open_incidents(),
                                keys_.report_log(),
                                keys_.alert_history(incident.neighborhood()),
                                keys_.incident_alerts(id)};
  std::vector<std::string> args{id,
                                incident.SerializeAsString(),
                                report.SerializeAsString(),
                                std::to_string(incident.status()),
                                std::to_string(to_ms(incident.created_at())),
                                alert.SerializeAsString(),
                                keys_.live_channel(incident.neighborhood()),
                                keys_.board_channel(),
                                event.SerializeAsString(),
                                idem,
                                std::to_string(options_.idempotency_ttl_seconds),
                                std::to_string(options_.history_max_alerts),
                                incident.neighborhood(),
                                report.id()};
  scripts::open_incident().run(
      *redis_, std::move(keys), std::move(args), [done = std::move(done)](auto ec, Reply reply) {
        if (failed(ec, reply, "open incident")) return done({Outcome::unavailable, {}, {}, {}});
        if (verdict(reply) == "repeat") {
          Tagged earlier;
          split_tagged(element(reply, 1), earlier);
          return done({Outcome::repeated, {}, earlier.tag, earlier.bytes});
        }
        done({Outcome::ok, element(reply, 1), {}, {}});
      });
}

void IncidentStore::advance(const std::string& incident_id, v1::IncidentStatus from,
                            v1::IncidentStatus to, const v1::Alert& alert,
                            const v1::IncidentEvent& event, std::function<void(Advanced)> done) {
  bool closes = to == v1::FALSE_ALARM || to == v1::RESOLVED;
  std::vector<std::string> keys{keys_.incident(incident_id), keys_.open_incidents(),
                                keys_.alert_history(alert.neighborhood()),
                                keys_.incident_alerts(incident_id)};
  std::vector<std::string> args{std::to_string(from),
                                std::to_string(to),
                                std::to_string(to_ms(alert.sent_at())),
                                alert.SerializeAsString(),
                                keys_.live_channel(alert.neighborhood()),
                                keys_.board_channel(),
                                event.SerializeAsString(),
                                std::to_string(options_.history_max_alerts),
                                incident_id,
                                closes ? "1" : "0"};
  scripts::advance_incident().run(
      *redis_, std::move(keys), std::move(args), [done = std::move(done)](auto ec, Reply reply) {
        if (failed(ec, reply, "advance incident")) return done({Outcome::unavailable, {}, {}});
        auto word = verdict(reply);
        if (word == "not_found") return done({Outcome::not_found, {}, {}});
        if (word == "conflict")
          return done({Outcome::conflict, {},
                        static_cast<v1::IncidentStatus>(std::atoi(element(reply, 1).c_str()))});
        done({Outcome::ok, element(reply, 1), {}});
      });
}

void IncidentStore::record_ack(const v1::Ack& ack, const v1::IncidentEvent& event,
                               std::function<void(Outcome)> done) {
  std::vector<std::string> keys{keys_.incident(ack.incident_id()),
                                keys_.incident_acks(ack.incident_id()), keys_.ack_log()};
  std::vector<std::string> args{ack.SerializeAsString(), keys_.board_channel(),
                                event.SerializeAsString(), ack.incident_id()};
  scripts::record_ack().run(*redis_, std::move(keys), std::move(args),
                            [done = std::move(done)](auto ec, Reply reply) {
                              if (failed(ec, reply, "record ack")) return done(Outcome::unavailable);
                              done(verdict(reply) == "ok" ? Outcome::ok : Outcome::not_found);
                            });
}

void IncidentStore::load(const std::string& incident_id,
                         std::function<void(Outcome, v1::Incident)> done) {
  std::vector<std::string> keys{keys_.incident(incident_id), keys_.incident_reports(incident_id),
                                keys_.incident_alerts(incident_id), keys_.incident_acks(incident_id)};
  scripts::load_incident().run(
      *redis_, std::move(keys), {}, [done = std::move(done)](auto ec, Reply reply) {
        v1::Incident incident;
        if (failed(ec, reply, "load incident")) return done(Outcome::unavailable, incident);
        const auto& e = reply.elements;
        if (e.size() < 6 || !parse_head(e[0], e[1], e[2], incident))
          return done(Outcome::not_found, incident);
        for (const auto& r : e[3].elements) incident.add_reports()->ParseFromString(r.str);
        for (const auto& a : e[4].elements) parse_tagged_alert(a.str, *incident.add_alerts());
        for (const auto& k : e[5].elements) incident.add_acks()->ParseFromString(k.str);
        done(Outcome::ok, std::move(incident));
      });
}

void IncidentStore::list(bool open_only, std::size_t limit,
                         std::function<void(Outcome, std::vector<v1::Incident>)> done) {
  std::vector<std::string> keys{open_only ? keys_.open_incidents() : keys_.incidents()};
  std::vector<std::string> args{std::to_string(limit), keys_.prefix()};
  scripts::list_incidents().run(
      *redis_, std::move(keys), std::move(args), [done = std::move(done)](auto ec, Reply reply) {
        std::vector<v1::Incident> incidents;
        if (failed(ec, reply, "list incidents")) return done(Outcome::unavailable, incidents);
        for (const auto& head : reply.elements) {
          if (head.elements.size() < 3) continue;
          v1::Incident incident;
          if (parse_head(head.elements[0], head.elements[1], head.elements[2], incident))
            incidents.push_back(std::move(incident));
        }
        done(Outcome::ok, std::move(incidents));
      });
}

void IncidentStore::replay(const std::string& slug, const std::string& after_offset,
                           std::size_t limit,
                           std::function<void(Outcome, std::vector<v1::Alert>)> done) {
  std::vector<std::string> args{"XRANGE", keys_.alert_history(slug), "(" + after_offset, "+",
                                "COUNT", std::to_string(limit)};
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

}  // namespace puente::store
