#pragma once
// Issued tokens in Redis: one hash of IssuedToken records by id, and a channel that names each
// one as it changes so every node updates its TokenRegistry at once (app/token_service.hpp).
// A record holds the token's SHA-256, never the token.

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
  TokenStore(std::shared_ptr<redis::Connection> redis, Keys keys, std::shared_ptr<ReplicationBarrier> replication);

  // Writes the record and announces it on the channel, in one script; `ok` once replicated.
  void save(const v1::IssuedToken& record, std::function<void(Outcome)> done);
  void load(const std::string& id, std::function<void(Outcome, std::optional<v1::IssuedToken>)> done);
  void load_all(std::function<void(Outcome, std::vector<v1::IssuedToken>)> done);

  const Keys& keys() const { return keys_; }

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
  std::shared_ptr<ReplicationBarrier> replication_;
};

}  // namespace puente::store
