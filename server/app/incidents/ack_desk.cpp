#include "app/incidents/ack_desk.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace puente::app {

AckDesk::AckDesk(DispatchService& dispatch, Outbox& outbox, RateLimiter& limiter,
                 const RateLimits& rate_limits)
    : dispatch_(dispatch), outbox_(outbox), limiter_(limiter), rate_limits_(rate_limits) {}

void AckDesk::submit(const Caller& caller, v1::Ack ack, Done<Accepted<v1::Ack>> done) {
  // A socket is no way around the limit of POST /v1/acks, nor HTTP around a socket's.
  if (auto wait = limiter_.take_request("POST /v1/acks", caller.token_id, rate_limits_))
    return done(rate_limited(*wait), {});
  // The identity it keeps from here on, through a journal replay too.
  const core::Responder& who = caller.who;
  ack.set_responder_id(who.id);
  *ack.mutable_at() = core::now();
  if (ack.idempotency_key().empty()) ack.set_idempotency_key(core::new_id("ack"));
  dispatch_.ack(who, ack,
                [this, &who, ack, done = std::move(done)](MaybeRefusal refusal,
                                                          Accepted<v1::Ack> recorded) mutable {
                  if (!store_unreachable(refusal))
                    return done(std::move(refusal), std::move(recorded));
                  if (auto refused = outbox_.keep_ack(who, ack))
                    return done(std::move(refused), {});
                  done(std::nullopt, {std::move(ack), Taken::queued});
                });
}

}  // namespace puente::app
