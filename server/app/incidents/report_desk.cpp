#include "app/incidents/report_desk.hpp"

#include "app/incidents/dispatch_service.hpp"
#include "core/alert_recipients.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>

namespace puente::app {

ReportDesk::ReportDesk(IntakeService& intake, Outbox& outbox, RateLimiter& limiter,
                       const RateLimits& rate_limits, const core::CallerKey* caller_key,
                       Presence& presence)
    : intake_(intake),
      outbox_(outbox),
      limiter_(limiter),
      rate_limits_(rate_limits),
      caller_key_(caller_key),
      presence_(presence) {}

MaybeRefusal ReportDesk::prepare(const core::Responder& who, v1::ReportSource source,
                                 v1::Report& report) const {
  // The number never reaches the store, the journal or a log line: only its keyed hash does. A
  // hash the client sent itself is not taken.
  auto phone = report.caller_phone();
  report.clear_caller_phone();
  report.clear_caller_hash();
  if (!phone.empty()) {
    if (!caller_key_)
      return Refusal{RefusalKind::caller_phone_not_accepted,
                     "this network keeps no caller numbers ([privacy] caller_key_file is not set); "
                     "leave it out"};
    auto number = core::normalized_phone(phone, caller_key_->country_code());
    if (!number)
      return Refusal{RefusalKind::bad_phone,
                     "callerPhone must be a whole phone number, with its area code"};
    report.set_caller_hash(caller_key_->hash(*number));
  }
  // The identity it keeps from here on, through a journal replay too.
  report.set_id(core::new_id("rep"));
  *report.mutable_received_at() = core::now();
  if (report.idempotency_key().empty()) report.set_idempotency_key(report.id());
  // Where it came from is the server's word: what a client claims is dropped.
  report.set_source(source);
  report.clear_reporter_roles();
  for (const auto role : who.roles) report.add_reporter_roles(std::string(core::to_string(role)));
  report.set_replayed(false);
  return std::nullopt;
}

void ReportDesk::submit(const Caller& caller, v1::Report report, v1::ReportSource source,
                        Done<Accepted<v1::ReportReceipt>> done) {
  // A socket is no way around the limit of POST /v1/reports, nor HTTP around a socket's.
  if (auto wait = limiter_.take_request("POST /v1/reports", caller.token_id, rate_limits_))
    return done(rate_limited(*wait), {});
  if (auto refused = prepare(caller.who, source, report)) return done(std::move(*refused), {});
  const core::Responder& who = caller.who;
  // Intake takes a copy; the prepared report is kept for the outbox, shared rather than copied
  // a second time into the callback (a copy of a report cost ~1,300 instructions, issue 22).
  auto prepared = std::make_shared<const v1::Report>(std::move(report));
  intake_.submit(who, *prepared,
                 [this, &who, prepared, done = std::move(done)](
                     MaybeRefusal refusal, Accepted<v1::ReportReceipt> taken) mutable {
                   if (store_unreachable(refusal)) {
                     if (auto refused = outbox_.keep_report(who, *prepared))
                       return done(std::move(refused), {});
                     // Only the report is known yet; the incident it makes comes with the replay.
                     v1::ReportReceipt receipt;
                     *receipt.mutable_report() = *prepared;
                     return done(std::nullopt, {std::move(receipt), Taken::queued});
                   }
                   if (refusal) return done(std::move(refusal), {});
                   auto answer = std::make_shared<Accepted<v1::ReportReceipt>>(std::move(taken));
                   count_reach(answer->value, [&who, answer, done = std::move(done)]() mutable {
                     redact_for(who, answer->value);
                     done(std::nullopt, std::move(*answer));
                   });
                 });
}

void ReportDesk::count_reach(v1::ReportReceipt& receipt, std::function<void()> done) {
  // Read before redact_for, which takes the recipients away from an operator's answer.
  auto people = core::asked_to_come(receipt.incident());
  presence_.count_connected_among(
      people, std::chrono::system_clock::now(),
      [&receipt, alerted = static_cast<int>(people.size()), done = std::move(done)](
          store::Outcome outcome, std::size_t connected) {
        if (outcome == store::Outcome::ok) {
          auto* reach = receipt.mutable_reach();
          reach->set_alerted(alerted);
          reach->set_connected(static_cast<int>(connected));
        }
        done();
      });
}

}  // namespace puente::app
