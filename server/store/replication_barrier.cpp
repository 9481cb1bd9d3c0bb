#include "store/replication_barrier.hpp"

#include <spdlog/spdlog.h>

#include <string>

namespace puente::store {

ReplicationBarrier::ReplicationBarrier(std::shared_ptr<redis::Connection> redis,
                                       ReplicationOptions options)
    : redis_(std::move(redis)), options_(options) {}

void ReplicationBarrier::after_write(std::function<void(bool)> done) {
  using std::chrono::steady_clock;
  if (options_.replicas <= 0) return done(true);
  if (steady_clock::now() < standing_aside_until_) {
    if (options_.unreplicated) options_.unreplicated->inc();
    return done(true);
  }
  redis_->execute(
      {"WAIT", std::to_string(options_.replicas), std::to_string(options_.timeout.count())},
      [self = shared_from_this(), done = std::move(done)](boost::system::error_code ec,
                                                          redis::Reply reply) {
        if (ec) return done(false);
        long long reached = reply.type == redis::Reply::Type::integer ? reply.integer : -1;
        if (reached >= self->options_.replicas) {
          if (self->warned_) spdlog::info("redis: replicas confirm writes again");
          self->warned_ = false;
        } else {
          self->fell_short(reached);
        }
        done(true);
      });
}

void ReplicationBarrier::fell_short(long long replicas_reached) {
  if (options_.unreplicated) options_.unreplicated->inc();
  standing_aside_until_ = std::chrono::steady_clock::now() + options_.retry_after;
  if (warned_) return;
  warned_ = true;
  spdlog::warn(
      "redis: a write reached {} of {} replicas within {} ms; answering on the primary's word "
      "until they are back",
      replicas_reached < 0 ? 0 : replicas_reached, options_.replicas, options_.timeout.count());
}

}  // namespace puente::store
