#include "store/push_subscription_store.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

namespace puente::store {

using redis::Reply;

namespace {

// Read-modify-write rounds before an update gives up: each lost round is another writer's
// change to the same phone in the few milliseconds between a read and a write.
constexpr int update_attempts = 5;

}  // namespace

PushSubscriptionStore::PushSubscriptionStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void PushSubscriptionStore::save(const std::string& responder_id,
                                 const v1::PushSubscription& subscription, std::size_t most,
                                 std::function<void(Saved)> done) {
  using Key = lua::SavePushSubscription::Key;
  using Arg = lua::SavePushSubscription::Arg;
  ScriptCall<lua::SavePushSubscription> call;
  call.key(Key::phones, keys_.push_subscriptions(responder_id))
      .key(Key::endpoint_holders, keys_.push_endpoint(subscription.id()))
      .arg(Arg::responder, responder_id)
      .arg(Arg::id, subscription.id())
      .arg(Arg::subscription, subscription.SerializeAsString())
      .arg(Arg::most, std::to_string(most));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "save push subscription")) return done(Saved::unavailable);
    if (reply.str == "too_many") return done(Saved::too_many);
    done(reply.str == "replaced" ? Saved::replaced : Saved::saved);
  });
}

void PushSubscriptionStore::list(
    const std::string& responder_id,
    std::function<void(Outcome, std::vector<v1::PushSubscription>)> done) {
  redis_->execute({"HVALS", keys_.push_subscriptions(responder_id)},
                  [done = std::move(done)](auto ec, Reply reply) {
                    if (failed(ec, reply, "list push subscriptions"))
                      return done(Outcome::unavailable, {});
                    std::vector<v1::PushSubscription> subscriptions;
                    for (const auto& element : reply.elements)
                      if (v1::PushSubscription s; s.ParseFromString(element.str))
                        subscriptions.push_back(std::move(s));
                    done(Outcome::ok, std::move(subscriptions));
                  });
}

void PushSubscriptionStore::remove(const std::string& responder_id,
                                   const std::string& subscription_id,
                                   std::function<void(Outcome)> done) {
  using Key = lua::RemovePushSubscription::Key;
  using Arg = lua::RemovePushSubscription::Arg;
  ScriptCall<lua::RemovePushSubscription> call;
  call.key(Key::phones, keys_.push_subscriptions(responder_id))
      .key(Key::endpoint_holders, keys_.push_endpoint(subscription_id))
      .key(Key::notices, keys_.push_notices(responder_id))
      .arg(Arg::responder, responder_id)
      .arg(Arg::id, subscription_id);
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "remove push subscription")) return done(Outcome::unavailable);
    done(reply.integer == 1 ? Outcome::ok : Outcome::not_found);
  });
}

void PushSubscriptionStore::forget_endpoint(const std::string& subscription_id,
                                            std::function<void(Outcome, std::size_t)> done) {
  redis_->execute({"SMEMBERS", keys_.push_endpoint(subscription_id)}, [this, subscription_id,
                                                                       done = std::move(done)](
                                                                          auto ec,
                                                                          Reply reply) mutable {
    if (failed(ec, reply, "read push endpoint holders")) return done(Outcome::unavailable, 0);
    if (reply.elements.empty()) return done(Outcome::ok, 0);
    // One removal per holder, each a step of its own; the answer comes after the last.
    struct Tally {
      std::size_t left;
      std::size_t removed = 0;
      bool unavailable = false;
      std::function<void(Outcome, std::size_t)> done;
    };
    auto tally = std::make_shared<Tally>(Tally{reply.elements.size(), 0, false, std::move(done)});
    for (const auto& holder : reply.elements)
      remove(holder.str, subscription_id, [tally](Outcome outcome) {
        if (outcome == Outcome::ok) ++tally->removed;
        if (outcome == Outcome::unavailable) tally->unavailable = true;
        if (--tally->left > 0) return;
        tally->done(tally->unavailable ? Outcome::unavailable : Outcome::ok, tally->removed);
      });
  });
}

void PushSubscriptionStore::update(const std::string& responder_id,
                                   const std::string& subscription_id, Change change,
                                   std::function<void(Outcome)> done) {
  update_attempt(responder_id, subscription_id, std::move(change), update_attempts,
                 std::move(done));
}

void PushSubscriptionStore::update_attempt(const std::string& responder_id,
                                           const std::string& subscription_id, Change change,
                                           int attempts_left, std::function<void(Outcome)> done) {
  redis_->execute({"HGET", keys_.push_subscriptions(responder_id), subscription_id},
                  [this, responder_id, subscription_id, change = std::move(change), attempts_left,
                   done = std::move(done)](auto ec, Reply reply) mutable {
                    if (failed(ec, reply, "read push subscription"))
                      return done(Outcome::unavailable);
                    v1::PushSubscription phone;
                    if (reply.is_nil() || !phone.ParseFromString(reply.str))
                      return done(Outcome::not_found);
                    change(phone);
                    using Key = lua::ReplacePushSubscription::Key;
                    using Arg = lua::ReplacePushSubscription::Arg;
                    ScriptCall<lua::ReplacePushSubscription> call;
                    call.key(Key::phones, keys_.push_subscriptions(responder_id))
                        .arg(Arg::id, subscription_id)
                        .arg(Arg::before, std::move(reply.str))
                        .arg(Arg::after, phone.SerializeAsString());
                    std::move(call).run(
                        *redis_,
                        [this, responder_id, subscription_id, change = std::move(change),
                         attempts_left, done = std::move(done)](auto ec, Reply reply) mutable {
                          if (failed(ec, reply, "replace push subscription"))
                            return done(Outcome::unavailable);
                          if (reply.integer == 1) return done(Outcome::ok);
                          if (reply.integer < 0) return done(Outcome::not_found);
                          if (attempts_left <= 1) return done(Outcome::conflict);
                          update_attempt(responder_id, subscription_id, std::move(change),
                                         attempts_left - 1, std::move(done));
                        });
                  });
}

void PushSubscriptionStore::heard_from(const std::string& responder_id,
                                       const std::string& subscription_id,
                                       std::chrono::system_clock::time_point at,
                                       std::function<void(Outcome)> done) {
  update(
      responder_id, subscription_id,
      [at](v1::PushSubscription& phone) {
        if (!phone.has_last_contact_at() || core::to_time_point(phone.last_contact_at()) < at)
          *phone.mutable_last_contact_at() = core::to_timestamp(at);
      },
      std::move(done));
}

}  // namespace puente::store
