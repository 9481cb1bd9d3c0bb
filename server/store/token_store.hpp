#pragma once
// Issued tokens in Redis: one hash of IssuedToken records by id, and a channel that names each
// one as it changes so every node updates its TokenRegistry at once (app/access/token_service.hpp).
// A record holds the token's SHA-256, never the token.
//
// A record can also go without the script: deleted by hand (HDEL, DEL), renamed, evicted. The
// token is then invalid at once on every node, because the nodes hear of it from Redis's
// keyspace notifications for the hash (record_events_channel()), which need
// `notify-keyspace-events` to hold K, g, h and x: deploy/redis/*.conf set it, and each node adds
// whichever of them is missing with CONFIG SET when it connects (enable_record_events).

#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"
#include "store/replication_barrier.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace puente::store {

class TokenStore {
 public:
  TokenStore(std::shared_ptr<redis::Connection> redis, Keys keys,
             std::shared_ptr<ReplicationBarrier> replication);

  // Writes the record and announces it on the channel, in one script; `ok` once replicated.
  void save(const v1::IssuedToken& record, std::function<void(Outcome)> done);
  void load(const std::string& id,
            std::function<void(Outcome, std::optional<v1::IssuedToken>)> done);
  void load_all(std::function<void(Outcome, std::vector<v1::IssuedToken>)> done);

  // Makes Redis announce every change to the tokens hash on record_events_channel(): adds K, g,
  // h and x to notify-keyspace-events if they are missing. Refused (logged): CONFIG disabled or
  // renamed, deletions are then seen only at the next whole load; unreachable: try again.
  enum class RecordEvents { announced, refused, unreachable };
  void enable_record_events(std::function<void(RecordEvents)> done);
  // "__keyspace@0__:<prefix>tokens": each message is an event name ("hset", "hdel", "del"...).
  std::string record_events_channel() const { return "__keyspace@0__:" + keys_.tokens(); }

  const Keys& keys() const { return keys_; }

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  std::shared_ptr<ReplicationBarrier> replication_;
};

}  // namespace puente::store
