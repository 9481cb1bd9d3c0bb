#pragma once
// The phones that get each responder's alerts by Web Push, in Redis: one hash per responder of
// PushSubscription records by id, and per endpoint the set of responders holding it (keys.hpp),
// so a push service's "gone" (404/410) for an endpoint removes it from every one of them.
// A subscription's id comes from its endpoint (core/push_subscription.hpp): the same phone
// subscribing again replaces its record instead of adding one.

#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

class PushSubscriptionStore {
 public:
  PushSubscriptionStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  enum class Saved { saved, replaced, too_many, unavailable };
  // Keeps `subscription` (its id set) for `responder_id`, unless they already have `most`
  // others.
  void save(const std::string& responder_id, const v1::PushSubscription& subscription,
            std::size_t most, std::function<void(Saved)> done);
  void list(const std::string& responder_id,
            std::function<void(Outcome, std::vector<v1::PushSubscription>)> done);
  // Outcome::ok, or not_found if the responder had no such subscription.
  void remove(const std::string& responder_id, const std::string& subscription_id,
              std::function<void(Outcome)> done);
  // Removes the subscription from every responder holding it; `removed` counts them.
  void forget_endpoint(const std::string& subscription_id,
                       std::function<void(Outcome, std::size_t removed)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
