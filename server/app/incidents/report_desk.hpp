#pragma once
// The front door of a report, whichever way it came (POST /v1/reports, a socket's report
// message). Everything a report goes through besides the transport is done here, once, in
// this order:
//
//   1. the sender's rate limit: the buckets of POST /v1/reports (access/rate_limiter.hpp);
//   2. privacy: the caller's phone number becomes its keyed hash (core/caller_key.hpp) and
//      never reaches the store, the journal or a log line; a hash the client sent is dropped;
//   3. identity: an id, the time it was received and an idempotency key, which the report
//      keeps through a journal replay (so a replayed report is the same report), and its
//      source: the transport and the sender's roles (a client's own claim is dropped);
//   4. intake (intake_service.hpp): the sender's rights, the fields, the store step;
//   5. the store unreachable: the outbox journals it (outbox.hpp) and the answer is `queued`;
//   6. who the incident's call went to, and how many of them are connected now (the receipt's
//      `reach`, app/live/presence.hpp: sockets here, the presence set for the rest): the
//      operator's truth about who was reached (issue 20);
//   7. what the sender may see of the answer (redact_for, dispatch_service.hpp).
//
// A transport decodes, calls submit() and encodes the answer; nothing more.

#include "app/access/caller.hpp"
#include "app/access/rate_limiter.hpp"
#include "app/answer.hpp"
#include "app/incidents/intake_service.hpp"
#include "app/incidents/outbox.hpp"
#include "app/live/presence.hpp"
#include "core/caller_key.hpp"

namespace puente::app {

class ReportDesk {
 public:
  // `caller_key`: null when the network keeps no caller key (a report with a phone is refused).
  ReportDesk(IntakeService& intake, Outbox& outbox, RateLimiter& limiter,
             const RateLimits& rate_limits, const core::CallerKey* caller_key, Presence& presence);

  // `done` runs exactly once: inline for a refusal before any I/O, else on the store's strand.
  // `source`: the transport it came by, recorded on the report with the sender's roles (issue
  // 19 item 4: dispatchers see where each report came from).
  void submit(const Caller& caller, v1::Report report, v1::ReportSource source,
              Done<Accepted<v1::ReportReceipt>> done);

 private:
  // Steps 2 and 3: the report as it is stored, its source recorded; else why not.
  MaybeRefusal prepare(const core::Responder& who, v1::ReportSource source,
                       v1::Report& report) const;
  // Step 6: `receipt.reach` set (left unset if presence cannot be read), then `done(receipt)`.
  void count_reach(v1::ReportReceipt& receipt, std::function<void()> done);

  IntakeService& intake_;
  Outbox& outbox_;
  RateLimiter& limiter_;
  const RateLimits& rate_limits_;
  const core::CallerKey* caller_key_;
  Presence& presence_;
};

}  // namespace puente::app
