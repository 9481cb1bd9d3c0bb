#pragma once
// The network's ack capability key in Redis ({p}ack_key, keys.hpp): 32 random bytes that
// sign the capability each push carries (core/ack_capability.hpp). The first node to start
// with Web Push on writes its fresh key (SET NX); every node then reads the one that won, so a
// capability minted by any node is accepted by every other.

#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <functional>
#include <memory>
#include <string>

namespace puente::store {

class AckKeyStore {
 public:
  AckKeyStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // Keeps `fresh` unless a key is there already, then answers the network's key.
  void load_or_create(std::string fresh, std::function<void(Outcome, std::string key)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
