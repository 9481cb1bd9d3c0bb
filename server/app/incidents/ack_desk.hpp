#pragma once
// The front door of an ack, whichever way it came (POST /v1/acks, a socket's ack message).
// Everything an ack goes through besides the transport is done here, once, in this order:
//
//   1. the sender's rate limit: the buckets of POST /v1/acks (access/rate_limiter.hpp; issue
//      15: 20,000 pipelined acks in a second took Redis to 1.38 GB);
//   2. identity: the sender, the time and an idempotency key, which the ack keeps through a
//      journal replay;
//   3. the ack itself (DispatchService::ack): the sender's rights and the store step;
//   4. the store unreachable: the outbox journals it (outbox.hpp) and the answer is `queued`.
//
// A transport decodes, calls submit() and encodes the answer; nothing more.

#include "app/access/caller.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/answer.hpp"
#include "app/incidents/dispatch_service.hpp"
#include "app/incidents/outbox.hpp"

namespace puente::app {

class AckDesk {
 public:
  AckDesk(DispatchService& dispatch, Outbox& outbox, RateLimiter& limiter,
          const RateLimits& rate_limits);

  // `done` runs exactly once: inline for a refusal before any I/O, else on the store's strand.
  void submit(const Caller& caller, v1::Ack ack, Done<Accepted<v1::Ack>> done);

 private:
  DispatchService& dispatch_;
  Outbox& outbox_;
  RateLimiter& limiter_;
  const RateLimits& rate_limits_;
};

}  // namespace puente::app
