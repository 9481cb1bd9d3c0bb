// What responders answer to an incident's alerts, and when its alerts reached them: the part
// of IncidentStore (incident_store.hpp) that writes acks and delivery records.

#include "store/incident_store.hpp"

#include "store/replies.hpp"
#include "store/script_call.hpp"

#include "core/clock.hpp"
#include "core/idempotency.hpp"

#include <algorithm>

namespace puente::store {

void IncidentStore::record_ack(const v1::Ack& ack, const v1::IncidentEvent& event,
                               const core::AckReach& reach, std::function<void(AckRecorded)> done) {
  const auto& idem = ack.idempotency_key();
  const auto& id = ack.incident_id();
  using Key = lua::RecordAck::Key;
  using Arg = lua::RecordAck::Arg;
  std::string neighborhoods;
  for (const auto& slug : reach.neighborhoods)
    neighborhoods += (neighborhoods.empty() ? "" : " ") + slug;
  const auto digest = core::content_digest(ack);
  ScriptCall<lua::RecordAck> call;
  call.key(Key::incident, keys_.incident(id))
      .key(Key::incident_alerts, keys_.incident_alerts(id))
      .key(Key::states, keys_.incident_ack_states(id))
      .key(Key::ack_log, keys_.ack_log())
      .key(Key::idempotency,
           keys_.idempotency("ack/" + ack.responder_id() + "/" + (idem.empty() ? "-" : idem)))
      .key(Key::activity, keys_.incident_activity());
  call.arg(Arg::ack, ack.SerializeAsString())
      .arg(Arg::board, keys_.board_channel())
      .arg(Arg::event, event.SerializeAsString())
      .arg(Arg::id, id)
      .arg(Arg::idempotency_ttl,
           idem.empty() ? "" : std::to_string(options_.idempotency_ttl_seconds))
      .arg(Arg::now_ms, std::to_string(core::to_ms(core::Clock::now())))
      .arg(Arg::responder, ack.responder_id())
      .arg(Arg::digest, digest.short_form)
      .arg(Arg::keep, std::to_string(std::max<std::size_t>(1, options_.ack_history_per_responder)))
      .arg(Arg::alert, ack.alert_id())
      .arg(Arg::state, std::to_string(ack.state()))
      .arg(Arg::anywhere, reach.anywhere ? "1" : "")
      .arg(Arg::neighborhoods, std::move(neighborhoods))
      .arg(Arg::digest_hex, digest.hex);
  std::move(call).run(*redis_, [barrier = replication_, done = std::move(done)](
                                   auto ec, redis::Reply reply) mutable {
    if (failed(ec, reply, "record ack")) return done({Outcome::unavailable, {}});
    auto word = verdict(reply);
    if (word == "no_alert") return done({Outcome::no_alert, {}});
    if (word == "not_recipient")
      return done({Outcome::not_recipient,
                   reply.elements.size() > 1 ? reply.elements[1].str : std::string()});
    auto outcome = word == "ok"                         ? Outcome::ok
                   : word == "repeat" || word == "same" ? Outcome::repeated
                   : word == "reused"                   ? Outcome::reused_key
                                                        : Outcome::not_found;
    // Nothing was written for a refusal; a write waits for the replicas.
    when_replicated(barrier, outcome, [done = std::move(done)](Outcome o) { done({o, {}}); });
  });
}

// One alert's batch appended to its incident's delivery records (keys.hpp); fire and forget.
void IncidentStore::mark_delivered(const std::string& incident_id, const std::string& alert_id,
                                   std::vector<PlaceDelivered> deliveries) {
  if (deliveries.empty()) return;
  redis_->execute({"RPUSH", keys_.incident_deliveries(incident_id),
                   delivery_batch(alert_id, std::move(deliveries)).SerializeAsString()},
                  [](auto ec, const redis::Reply& reply) { failed(ec, reply, "mark delivered"); });
}

}  // namespace puente::store
