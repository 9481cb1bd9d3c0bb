#pragma once
// What became of each push of an incident's alerts, per alert and responder, in one hash per
// incident (keys.hpp, incident:{id}:pushes): when a push service accepted it, its last problem,
// and when the phone showed it. The board reads them into Delivery (pushed_at, push_problem,
// shown_at). Here: "shown", which the phone's service worker reports (POST /v1/push/shown).

#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace puente::store {

class PushDeliveryStore {
 public:
  PushDeliveryStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // The earliest time counts. Outcome::ok (kept, or an earlier time stands), not_found if the
  // incident is not there (nothing written), unavailable.
  void record_shown(const std::string& incident_id, const std::string& alert_id,
                    const std::string& responder_id, std::chrono::system_clock::time_point at,
                    std::function<void(Outcome)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
