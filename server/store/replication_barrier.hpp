#pragma once
// Holds a write's success back until Redis replicas have it too (`WAIT numreplicas timeout`).
//
// Replication is asynchronous: a primary that dies a moment after answering takes its newest
// writes with it, and Sentinel promotes a replica that never saw them. With the barrier, a
// report or ack is answered with success only once `replicas` replicas acknowledged it, so the
// replica Sentinel promotes holds everything the network was told was stored.
//
// WAIT blocks the whole connection until the replicas answer or the timeout passes. With every
// replica gone, each write would stall every other command for the full timeout; so after a
// WAIT comes back short, the barrier stands aside for `retry_after`: writes are answered on the
// primary's word alone (durable only through its AOF), counted in `unreplicated`, and logged
// once per episode. Then it tries again.

#include "core/metrics.hpp"
#include "redis/connection.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace puente::store {

struct ReplicationOptions {
  int replicas = 0;                             // 0: no WAIT at all (a single Redis)
  std::chrono::milliseconds timeout{200};       // how long one WAIT may hold the connection
  std::chrono::milliseconds retry_after{1000};  // standing aside after a short WAIT
  core::Counter* unreplicated = nullptr;        // writes answered without the replicas' word
};

class ReplicationBarrier : public std::enable_shared_from_this<ReplicationBarrier> {
 public:
  ReplicationBarrier(std::shared_ptr<redis::Connection> redis, ReplicationOptions options);

  // Calls `done(true)` once the writes made so far on the connection reached the replicas, or
  // the barrier gave up on them with the primary still answering (see above). `done(false)`
  // when the link failed under the WAIT: the primary may be gone with the write, so the caller
  // must treat it as not stored (and retry it under its idempotency key). Call it from a reply
  // handler of that connection (on its strand), right after the write's reply.
  void after_write(std::function<void(bool stored)> done);

 private:
  void fell_short(long long replicas_reached);

  std::shared_ptr<redis::Connection> redis_;
  ReplicationOptions options_;
  std::chrono::steady_clock::time_point standing_aside_until_{};
  bool warned_ = false;
};

}  // namespace puente::store
