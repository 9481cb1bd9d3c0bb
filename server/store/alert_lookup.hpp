#pragma once
// Which incident sent an alert, from the alert's id alone: what a phone's service worker knows
// when it reports a notification shown (POST /v1/push/shown carries the alert id of the push).
// Alert ids are random, so the incidents active since the alert could have been sent are
// searched (a few dozen on a busy night, a handful of alerts each), in one script.

#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace puente::store {

class AlertLookup {
 public:
  AlertLookup(std::shared_ptr<redis::Connection> redis, Keys keys);

  // The incident that sent `alert_id` (an id core::valid_id("al", ...) accepts), among those
  // active at or after `active_since`: Outcome::ok with its id, not_found, unavailable.
  void incident_of(const std::string& alert_id, std::chrono::system_clock::time_point active_since,
                   std::function<void(Outcome, std::string incident_id)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
