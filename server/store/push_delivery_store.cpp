#include "store/push_delivery_store.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

namespace puente::store {

using redis::Reply;

PushDeliveryStore::PushDeliveryStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void PushDeliveryStore::record_shown(const std::string& incident_id, const std::string& alert_id,
                                     const std::string& responder_id,
                                     std::chrono::system_clock::time_point at,
                                     std::function<void(Outcome)> done) {
  using Key = lua::RecordPushShown::Key;
  using Arg = lua::RecordPushShown::Arg;
  ScriptCall<lua::RecordPushShown> call;
  call.key(Key::incident, keys_.incident(incident_id))
      .key(Key::pushes, keys_.incident_pushes(incident_id))
      .arg(Arg::field, "shown " + alert_id + " " + responder_id)
      .arg(Arg::at_ms, std::to_string(core::to_ms(at)));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "record push shown")) return done(Outcome::unavailable);
    done(reply.integer < 0 ? Outcome::not_found : Outcome::ok);
  });
}

}  // namespace puente::store
