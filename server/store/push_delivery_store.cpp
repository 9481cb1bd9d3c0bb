#include "store/push_delivery_store.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

#include "redis/script.hpp"

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

void PushDeliveryStore::with_phone(const std::vector<std::string>& responder_ids,
                                   std::function<void(Outcome, std::set<std::string>)> done) {
  if (responder_ids.empty()) return done(Outcome::ok, {});
  // KEYS: each responder's phones; one round trip for the lot.
  static const redis::Script exist(R"lua(
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('EXISTS', key) end
return out
)lua");
  std::vector<std::string> phones;
  for (const auto& id : responder_ids) phones.push_back(keys_.push_subscriptions(id));
  exist.run(*redis_, std::move(phones), {},
            [responder_ids, done = std::move(done)](auto ec, Reply reply) {
              if (failed(ec, reply, "read who has a phone")) return done(Outcome::unavailable, {});
              std::set<std::string> with;
              for (std::size_t i = 0; i < reply.elements.size() && i < responder_ids.size(); ++i)
                if (reply.elements[i].integer == 1) with.insert(responder_ids[i]);
              done(Outcome::ok, std::move(with));
            });
}

}  // namespace puente::store
