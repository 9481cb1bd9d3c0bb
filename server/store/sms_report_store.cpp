// Delivery reports and the SMS channel's state in Redis (see sms_report_store.hpp).

#include "store/sms_report_store.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"
#include "store/sms_reply_store.hpp"

#include <algorithm>

namespace puente::store {

using redis::Reply;

SmsReportStore::SmsReportStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void SmsReportStore::record_report(const std::string& message_id, const std::string& word,
                                   std::chrono::system_clock::time_point at,
                                   const std::string& phone_responder,
                                   std::function<void(Recorded)> done) {
  using Key = lua::RecordTextReport::Key;
  using Arg = lua::RecordTextReport::Arg;
  ScriptCall<lua::RecordTextReport> call;
  call.key(Key::text, keys_.sms_text(message_id))
      .arg(Arg::word, word)
      .arg(Arg::at_ms, std::to_string(core::to_ms(at)))
      .arg(Arg::responder_check, phone_responder)
      .arg(Arg::incident_prefix, keys_.incident(""));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "record a delivery report") || reply.elements.empty())
      return done(Recorded::unavailable);
    const auto& outcome = reply.elements[0].str;
    if (outcome == "recorded") return done(Recorded::recorded);
    done(outcome == "other_phone" ? Recorded::other_phone : Recorded::unknown_text);
  });
}

void SmsReportStore::status(std::chrono::system_clock::time_point now,
                            std::function<void(Outcome, SmsStatusFacts)> done) {
  using Key = lua::SmsStatus::Key;
  ScriptCall<lua::SmsStatus> call;
  call.key(Key::count, keys_.sms_count(sms_hour(now)))
      .key(Key::jobs, keys_.sms_jobs())
      .key(Key::leased_jobs, keys_.leased_sms_jobs())
      .key(Key::gateway, keys_.sms_gateway())
      .key(Key::stopped, keys_.sms_stopped());
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    SmsStatusFacts facts;
    if (failed(ec, reply, "read the SMS status") || reply.elements.size() < 5)
      return done(Outcome::unavailable, facts);
    const auto& e = reply.elements;
    facts.sent_this_hour = e[0].integer;
    facts.queued = e[1].integer + e[2].integer;
    const auto& gateway = e[3].elements;
    for (std::size_t i = 0; i + 1 < gateway.size(); i += 2) {
      const auto& field = gateway[i].str;
      const auto& value = gateway[i + 1].str;
      if (field == "state") facts.gateway_state = value;
      if (field == "since") facts.gateway_since_ms = std::atoll(value.c_str());
      if (field == "problem") facts.gateway_problem = value;
    }
    for (const auto& id : e[4].elements) facts.stopped.push_back(id.str);
    std::sort(facts.stopped.begin(), facts.stopped.end());
    done(Outcome::ok, std::move(facts));
  });
}

}  // namespace puente::store
