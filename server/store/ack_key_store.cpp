#include "store/ack_key_store.hpp"

#include "store/replies.hpp"

namespace puente::store {

using redis::Reply;

AckKeyStore::AckKeyStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void AckKeyStore::load_or_create(std::string fresh,
                                 std::function<void(Outcome, std::string)> done) {
  // Two steps, not one: whichever node's SET NX wins, the GET after it reads the winner.
  redis_->execute({"SET", keys_.push_ack_key(), std::move(fresh), "NX"},
                  [this, done = std::move(done)](auto ec, Reply reply) mutable {
                    if (failed(ec, reply, "keep the ack key"))
                      return done(Outcome::unavailable, {});
                    redis_->execute({"GET", keys_.push_ack_key()},
                                    [done = std::move(done)](auto ec, Reply reply) {
                                      if (failed(ec, reply, "read the ack key") || reply.is_nil())
                                        return done(Outcome::unavailable, {});
                                      done(Outcome::ok, std::move(reply.str));
                                    });
                  });
}

}  // namespace puente::store
