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
  phones_of(responder_ids, [done = std::move(done)](Outcome outcome, PhonesOf phones) {
    std::set<std::string> with;
    for (const auto& [id, list] : phones) with.insert(id);
    done(outcome, std::move(with));
  });
}

void PushDeliveryStore::phones_of(const std::vector<std::string>& responder_ids,
                                  std::function<void(Outcome, PhonesOf)> done) {
  if (responder_ids.empty()) return done(Outcome::ok, {});
  // KEYS: each responder's phones; one round trip for the lot (a few records each: [push]
  // max_phones_per_responder).
  static const redis::Script read(R"lua(
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HVALS', key) end
return out
)lua");
  std::vector<std::string> phones;
  for (const auto& id : responder_ids) phones.push_back(keys_.push_subscriptions(id));
  read.run(*redis_, std::move(phones), {},
           [responder_ids, done = std::move(done)](auto ec, Reply reply) {
             if (failed(ec, reply, "read phones")) return done(Outcome::unavailable, {});
             PhonesOf of;
             for (std::size_t i = 0; i < reply.elements.size() && i < responder_ids.size(); ++i)
               for (const auto& record : reply.elements[i].elements)
                 if (v1::PushSubscription phone; phone.ParseFromString(record.str))
                   of[responder_ids[i]].push_back(std::move(phone));
             done(Outcome::ok, std::move(of));
           });
}

}  // namespace puente::store
