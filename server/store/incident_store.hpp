#pragma once
// Incidents in Redis: open one with its first report and VERIFY alert, advance its status with
// the alert that step sends, record acks, read it back, list, and replay a neighborhood's
// alert history after an offset. Every write is one Lua script (see scripts.hpp); every
// callback runs on the Redis connection's strand, exactly once.

#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "store/keys.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

enum class Outcome {
  ok,
  repeated,     // the idempotency key was seen: nothing new was written
  not_found,
  conflict,     // the incident was not in the expected status
  unavailable,  // Redis unreachable or too slow: nothing is known to be written
};

struct StoreOptions {
  std::size_t history_max_alerts = 10000;  // per neighborhood, approximate (XADD MAXLEN ~)
  std::size_t idempotency_ttl_seconds = 24 * 3600;
};

class IncidentStore {
 public:
  IncidentStore(std::shared_ptr<redis::Connection> redis, Keys keys, StoreOptions options = {});

  struct Opened {
    Outcome outcome;
    std::string offset;             // the VERIFY alert's offset (ok)
    std::string earlier_incident;   // repeated: what the first request created
    std::string earlier_report;
  };
  // `incident` is the head (no reports/alerts/acks); `report.idempotency_key` may be empty.
  void open(const v1::Incident& incident, const v1::Report& report, const v1::Alert& alert,
            const v1::IncidentEvent& event, std::function<void(Opened)> done);

  struct Advanced {
    Outcome outcome;
    std::string offset;                  // ok: the alert's offset
    v1::IncidentStatus current{};        // conflict: the status it is really in
  };
  void advance(const std::string& incident_id, v1::IncidentStatus from, v1::IncidentStatus to,
               const v1::Alert& alert, const v1::IncidentEvent& event,
               std::function<void(Advanced)> done);

  void record_ack(const v1::Ack& ack, const v1::IncidentEvent& event,
                  std::function<void(Outcome)> done);

  // The incident with its reports, alerts (offsets set) and acks.
  void load(const std::string& incident_id, std::function<void(Outcome, v1::Incident)> done);

  // Newest first, heads only (no reports, alerts or acks).
  void list(bool open_only, std::size_t limit,
            std::function<void(Outcome, std::vector<v1::Incident>)> done);

  // Alerts of `slug` after `after_offset` (exclusive), oldest first, at most `limit`.
  void replay(const std::string& slug, const std::string& after_offset, std::size_t limit,
              std::function<void(Outcome, std::vector<v1::Alert>)> done);

  const Keys& keys() const { return keys_; }

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  StoreOptions options_;
};

// An Alert from "<offset> <protobuf>"; false if it does not parse.
bool parse_tagged_alert(std::string_view payload, v1::Alert& alert);

}  // namespace puente::store
