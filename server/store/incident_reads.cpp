// The reading side of IncidentStore: an incident back from its Redis keys (the head hash, the
// report and alert lists, the ack states, the delivery batches, the push records), one of its
// alerts alone, the heads of a list, and a neighborhood's alert history after an offset. Writes
// are in incident_store.cpp; the scripts that gather the keys in one round trip, and the order
// of what they answer, in lua/.

#include "store/incident_store.hpp"

#include "store/incident_keys.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"
#include "store/stored_alert.hpp"
#include "store/tagged_alert.hpp"

#include "core/clock.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace puente::store {

namespace {

using core::to_ms;
using redis::Reply;

void set_time_ms(google::protobuf::Timestamp& ts, long long ms) {
  ts = core::timestamp_from_ms(ms);
}

// The head as incident_head (lua/helpers.lua) answers it, in the order of its head_fields.
bool parse_head(const std::vector<Reply>& e, v1::Incident& out) {
  using enum lua::HeadField;
  if (e.size() < lua::head_field_count) return false;
  auto field = [&e](lua::HeadField f) -> const std::string& {
    return e[static_cast<std::size_t>(f)].str;
  };
  if (!out.ParseFromString(field(pb))) return false;
  int number = std::atoi(field(status).c_str());
  if (v1::IncidentStatus_IsValid(number)) out.set_status(static_cast<v1::IncidentStatus>(number));
  set_time_ms(*out.mutable_updated_at(), std::atoll(field(updated_ms).c_str()));
  if (!field(neighborhood).empty()) out.set_neighborhood(field(neighborhood));
  // Kept beside the slug since a move: the pb holds the name the incident opened with.
  if (!field(neighborhood_name).empty()) out.set_neighborhood_name(field(neighborhood_name));
  if (!field(location).empty()) out.mutable_location()->ParseFromString(field(location));
  if (!field(confirmed_ms).empty())
    set_time_ms(*out.mutable_confirmed_at(), std::atoll(field(confirmed_ms).c_str()));
  out.set_escalation_step(std::atoi(field(step).c_str()));
  if (!field(evidence_ms).empty())
    set_time_ms(*out.mutable_evidence_at(), std::atoll(field(evidence_ms).c_str()));
  if (!field(held_ms).empty())
    set_time_ms(*out.mutable_held_at(), std::atoll(field(held_ms).c_str()));
  if (!field(approved_by).empty()) out.set_approved_by(field(approved_by));
  return true;
}

// What Web Push did, from the incident's pushes hash (keys.hpp): "<what> <alert> <responder>"
// -> value, flat as HGETALL answers it.
using PushRecords = std::map<std::string, std::string, std::less<>>;
PushRecords push_records(const std::vector<Reply>& flat) {
  PushRecords records;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) records[flat[i].str] = flat[i + 1].str;
  return records;
}

void add_push_record(v1::Delivery& d, const PushRecords& records) {
  const std::string who = " " + d.alert_id() + " " + d.responder_id();
  if (auto it = records.find("pushed" + who); it != records.end())
    set_time_ms(*d.mutable_pushed_at(), std::atoll(it->second.c_str()));
  if (auto it = records.find("shown" + who); it != records.end())
    set_time_ms(*d.mutable_shown_at(), std::atoll(it->second.c_str()));
  if (auto it = records.find("problem" + who); it != records.end()) d.set_push_problem(it->second);
}

// What SMS did, from the incident's texts hash (keys.hpp), in the same shape.
void add_text_record(v1::Delivery& d, const PushRecords& records) {
  const std::string who = " " + d.alert_id() + " " + d.responder_id();
  if (auto it = records.find("texted" + who); it != records.end())
    set_time_ms(*d.mutable_texted_at(), std::atoll(it->second.c_str()));
  if (auto it = records.find("delivered" + who); it != records.end())
    set_time_ms(*d.mutable_text_delivered_at(), std::atoll(it->second.c_str()));
  if (auto it = records.find("problem" + who); it != records.end()) d.set_text_problem(it->second);
}

// One delivery record per alert and recipient: sent when the alert went out, delivered when
// its socket was first written to (the earliest of the DeliveryBatch entries naming both), seen
// and acked from the acks, pushed and shown from what Web Push did, texted and its delivery
// report from what SMS did.
void add_deliveries(v1::Incident& incident, const std::vector<Reply>& batches,
                    const PushRecords& pushes, const PushRecords& texts) {
  // Each alert's recipients sorted: a batch names them by place there (delivery_batch.hpp).
  std::map<std::string, std::vector<std::string>, std::less<>> sorted_recipients;
  for (const auto& alert : incident.alerts()) {
    auto& sorted = sorted_recipients[alert.id()];
    sorted.assign(alert.recipients().begin(), alert.recipients().end());
    std::sort(sorted.begin(), sorted.end());
  }
  const std::vector<std::string> none;
  std::map<std::pair<std::string, std::string>, long long> delivered;  // (alert, responder) -> ms
  v1::DeliveryBatch batch;
  for (const auto& stored : batches) {
    if (!batch.ParseFromString(stored.str)) continue;
    auto recipients = sorted_recipients.find(batch.alert_id());
    for_each_delivery(batch, recipients == sorted_recipients.end() ? none : recipients->second,
                      [&](const std::string& responder, long long ms) {
                        auto [it, fresh] = delivered.try_emplace({batch.alert_id(), responder}, ms);
                        if (!fresh) it->second = std::min(it->second, ms);
                      });
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
      add_push_record(*d, pushes);
      add_text_record(*d, texts);
    }
  }
}

// The Acks of one responder's ack_states value: netstrings, two per change ("<alert> <state>",
// the Ack protobuf; lua/record_ack.lua).
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
      if (ack.ParseFromArray(kept.data() + colon + 1, static_cast<int>(n)))
        acks.push_back(std::move(ack));
    }
    kept.remove_prefix(colon + 1 + n);
  }
}

}  // namespace

void IncidentStore::load(const std::string& incident_id,
                         std::function<void(Outcome, v1::Incident)> done) {
  ScriptCall<lua::LoadIncident> call;
  add_incident_keys(call, keys_, incident_id);
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    v1::Incident incident;
    if (failed(ec, reply, "load incident")) return done(Outcome::unavailable, incident);
    const auto& e = reply.elements;
    // After the head, in load_incident.lua's order: reports, alerts, acks, alerted, reporters,
    // deliveries, ack states, pushes, texts.
    constexpr auto reports = lua::head_field_count, alerts = reports + 1, old_acks = reports + 2,
                   alerted_hoods = reports + 3, reporters = reports + 4, deliveries = reports + 5,
                   states = reports + 6, pushes = reports + 7, texts = reports + 8;
    if (e.size() <= texts || !parse_head(e, incident)) return done(Outcome::not_found, incident);
    for (const auto& r : e[reports].elements) incident.add_reports()->ParseFromString(r.str);
    for (const auto& a : e[alerts].elements) parse_tagged_alert(a.str, *incident.add_alerts());
    std::vector<v1::Ack> acks;
    for (const auto& k : e[old_acks].elements)
      acks.emplace_back().ParseFromString(k.str);  // as kept before issue 15
    for (const auto& kept : e[states].elements) add_kept_acks(kept.str, acks);
    std::stable_sort(acks.begin(), acks.end(), [](const v1::Ack& a, const v1::Ack& b) {
      return to_ms(a.at()) < to_ms(b.at());
    });
    for (auto& ack : acks) *incident.add_acks() = std::move(ack);
    std::vector<std::string> alerted;
    for (const auto& n : e[alerted_hoods].elements) alerted.push_back(n.str);
    std::sort(alerted.begin(), alerted.end());
    for (auto& n : alerted) incident.add_alerted_neighborhoods(std::move(n));
    incident.set_reporters(static_cast<int>(e[reporters].integer));
    add_deliveries(incident, e[deliveries].elements, push_records(e[pushes].elements),
                   push_records(e[texts].elements));
    done(Outcome::ok, std::move(incident));
  });
}

void IncidentStore::load_alert(const std::string& incident_id, const std::string& alert_id,
                               std::function<void(Outcome, v1::Alert)> done) {
  using Key = lua::LoadAlert::Key;
  ScriptCall<lua::LoadAlert> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::incident_alerts, keys_.incident_alerts(incident_id))
      .arg(lua::LoadAlert::Arg::alert_id, alert_id);
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    v1::Alert alert;
    if (failed(ec, reply, "load alert")) return done(Outcome::unavailable, alert);
    if (reply.str.empty() || !parse_tagged_alert(reply.str, alert))
      return done(Outcome::not_found, alert);
    done(Outcome::ok, std::move(alert));
  });
}

void IncidentStore::list(bool open_only, std::size_t limit,
                         std::function<void(Outcome, std::vector<v1::Incident>)> done) {
  ScriptCall<lua::ListIncidents> call;
  call.key(lua::ListIncidents::Key::index, open_only ? keys_.open_incidents() : keys_.incidents())
      .arg(lua::ListIncidents::Arg::limit, std::to_string(limit))
      .arg(lua::ListIncidents::Arg::prefix, keys_.prefix());
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    std::vector<v1::Incident> incidents;
    if (failed(ec, reply, "list incidents")) return done(Outcome::unavailable, incidents);
    for (const auto& head : reply.elements) {
      v1::Incident incident;
      if (parse_head(head.elements, incident)) incidents.push_back(std::move(incident));
    }
    done(Outcome::ok, std::move(incidents));
  });
}

void IncidentStore::replay(const std::string& slug, const std::string& after_offset,
                           std::size_t limit, std::function<void(Outcome, ReplayPage)> done) {
  ScriptCall<lua::ReplayAlerts> call;
  call.key(lua::ReplayAlerts::Key::history, keys_.alert_history(slug))
      .arg(lua::ReplayAlerts::Arg::after, after_offset)
      .arg(lua::ReplayAlerts::Arg::limit, std::to_string(limit))
      .arg(lua::ReplayAlerts::Arg::prefix, keys_.prefix());
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    ReplayPage page;
    if (failed(ec, reply, "replay alerts") || reply.elements.empty())
      return done(Outcome::unavailable, std::move(page));
    // Where the next page starts, then pairs: offset, Alert protobuf.
    const auto& e = reply.elements;
    page.next_after = e[0].str;
    for (std::size_t i = 1; i + 1 < e.size(); i += 2) {
      v1::Alert alert;
      if (!alert.ParseFromString(e[i + 1].str)) continue;
      restore_stored_alert(alert);
      alert.set_offset(e[i].str);
      page.alerts.push_back(std::move(alert));
    }
    done(Outcome::ok, std::move(page));
  });
}

void IncidentStore::checkin_progress(
    const std::string& incident_id, const std::string& responder_id,
    std::function<void(std::optional<std::pair<long long, int>>)> done) {
  redis_->execute({"HGET", keys_.incident(incident_id), "checkin " + responder_id},
                  [done = std::move(done)](boost::system::error_code ec, const Reply& reply) {
                    if (ec || reply.is_error()) return done(std::nullopt);
                    long long anchor = 0;
                    int steps = 0;
                    if (std::sscanf(reply.str.c_str(), "%lld %d", &anchor, &steps) != 2)
                      anchor = 0, steps = 0;
                    done(std::pair{anchor, steps});
                  });
}

}  // namespace puente::store
