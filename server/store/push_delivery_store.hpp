#pragma once
// What Web Push did with an incident's alerts, per alert and responder (keys.hpp, the incident's
// pushes hash; docs/push.md): the rung taken, the first push a push service accepted, the last
// failure, the first time a phone showed it. The push pipeline writes its own records through
// PushQueue (push_queue.hpp); this is where others write theirs, and read who has a phone.
// IncidentStore::load reads the records into each Delivery.

#include "store/incident_store.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace puente::store {

class PushDeliveryStore {
 public:
  PushDeliveryStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // A phone of `responder_id` showed `alert_id` as a notification at `at` (POST /v1/push/shown):
  // the earliest counts. Outcome::ok (recorded, or an earlier time kept), not_found (no such
  // incident any more), unavailable.
  void record_shown(const std::string& incident_id, const std::string& alert_id,
                    const std::string& responder_id, std::chrono::system_clock::time_point at,
                    std::function<void(Outcome)> done);

  // Which of `responder_ids` have at least one phone registered for Web Push (OnCall.with_phone,
  // Delivery.unreachable). Empty on a Redis failure, with Outcome::unavailable.
  void with_phone(const std::vector<std::string>& responder_ids,
                  std::function<void(Outcome, std::set<std::string>)> done);
  // The phones of each of `responder_ids` that has any (Delivery.unreachable, and
  // Delivery.phones_quiet_since: whether they have gone quiet), in one round trip. Empty on a
  // Redis failure, with Outcome::unavailable.
  using PhonesOf = std::map<std::string, std::vector<v1::PushSubscription>>;
  void phones_of(const std::vector<std::string>& responder_ids,
                 std::function<void(Outcome, PhonesOf)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
