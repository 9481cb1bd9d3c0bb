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

#include <chrono>
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

  // Changes one of a responder's phones by `change` (its time fields: last push, last contact,
  // nudge), read-modify-write with no lost update: if the record changed in between, it is read
  // and changed again (five times at most, then Outcome::conflict). Outcome::ok; not_found if
  // the phone is not there (nothing written: a phone removed in between is not brought back);
  // unavailable.
  using Change = std::function<void(v1::PushSubscription&)>;
  void update(const std::string& responder_id, const std::string& subscription_id, Change change,
              std::function<void(Outcome)> done);
  // The phone itself was heard from at `at` (it showed a notification, acked from one): its
  // last_contact_at, unless a later contact is already there.
  void heard_from(const std::string& responder_id, const std::string& subscription_id,
                  std::chrono::system_clock::time_point at, std::function<void(Outcome)> done);

 private:
  void update_attempt(const std::string& responder_id, const std::string& subscription_id,
                      Change change, int attempts_left, std::function<void(Outcome)> done);

  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
