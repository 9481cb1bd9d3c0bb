// The SMS queue's scripts called from C++ (sms_queue.hpp).
#include "store/sms_queue.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

#include <algorithm>
#include <cstdlib>

namespace puente::store {

using core::to_ms;
using redis::Reply;

SmsQueue::SmsQueue(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void SmsQueue::claim(TimePoint now, std::chrono::milliseconds lease, std::size_t most,
                     long long per_window, long long window_seconds,
                     std::function<void(std::vector<std::string>)> done) {
  using Key = lua::ClaimJobs::Key;
  using Arg = lua::ClaimJobs::Arg;
  const auto now_ms = to_ms(now);
  const long long window = std::max(1LL, window_seconds);
  ScriptCall<lua::ClaimJobs> call;
  call.key(Key::jobs, keys_.sms_jobs())
      .key(Key::leased, keys_.leased_sms_jobs())
      .key(Key::sent, keys_.sms_sent(now_ms / 1000 / window * window))
      .arg(Arg::now_ms, std::to_string(now_ms))
      .arg(Arg::lease_ms, std::to_string(now_ms + lease.count()))
      .arg(Arg::most, std::to_string(most))
      .arg(Arg::per_window, std::to_string(per_window))
      .arg(Arg::window_ms, std::to_string(window * 1000));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    std::vector<std::string> responders;
    if (!failed(ec, reply, "claim sms jobs"))
      for (const auto& member : reply.elements) responders.push_back(member.str);
    done(std::move(responders));
  });
}

void SmsQueue::facts(const std::string& responder_id, TimePoint now,
                     std::function<void(Outcome, Facts)> done) {
  using Key = lua::SmsJobFacts::Key;
  using Arg = lua::SmsJobFacts::Arg;
  ScriptCall<lua::SmsJobFacts> call;
  call.key(Key::waiting, keys_.sms_waiting(responder_id))
      .key(Key::stopped, keys_.sms_stopped())
      .key(Key::count, keys_.sms_count(to_ms(now) / 1000 / 3600))
      .arg(Arg::responder, responder_id);
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    Facts facts;
    if (failed(ec, reply, "read sms job") || reply.elements.size() != 3)
      return done(Outcome::unavailable, facts);
    const auto& fields = reply.elements[0].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      const auto& field = fields[i].str;
      const auto& value = fields[i + 1].str;
      if (field == "attempt") {
        facts.attempt = std::atoi(value.c_str());
        continue;
      }
      const auto space = field.find(' ');
      if (space == std::string::npos) continue;
      facts.waiting.push_back({field.substr(0, space), field.substr(space + 1),
                               TimePoint(std::chrono::milliseconds(std::atoll(value.c_str())))});
    }
    std::sort(facts.waiting.begin(), facts.waiting.end(),
              [](const auto& a, const auto& b) { return a.taken < b.taken; });
    facts.stopped = reply.elements[1].integer == 1;
    facts.sent_this_hour = reply.elements[2].integer;
    done(Outcome::ok, std::move(facts));
  });
}

void SmsQueue::finish(const std::string& responder_id, const Finished& finished, TimePoint now,
                      std::chrono::seconds reply_window, std::function<void(bool)> done) {
  using Key = lua::FinishSmsJob::Key;
  using Arg = lua::FinishSmsJob::Arg;
  const auto now_ms = to_ms(now);
  ScriptCall<lua::FinishSmsJob> call;
  call.key(Key::leased, keys_.leased_sms_jobs())
      .key(Key::jobs, keys_.sms_jobs())
      .key(Key::waiting, keys_.sms_waiting(responder_id))
      .key(Key::codes, keys_.sms_codes(responder_id))
      .key(Key::count, keys_.sms_count(now_ms / 1000 / 3600))
      .key(Key::gateway, keys_.sms_gateway())
      .arg(Arg::responder, responder_id)
      .arg(Arg::now_ms, std::to_string(now_ms))
      .arg(Arg::retry_ms, finished.retry_at ? std::to_string(to_ms(*finished.retry_at)) : "")
      .arg(Arg::message_id, finished.message_id)
      .arg(Arg::reply_window_s, std::to_string(std::max<long long>(1, reply_window.count())))
      .arg(Arg::gateway_state, finished.gateway_state)
      .arg(Arg::gateway_problem, finished.gateway_problem)
      .arg(Arg::settled_count, std::to_string(finished.settled.size()));
  for (const auto& s : finished.settled) {
    call.tail_arg(s.incident_id).tail_arg(s.alert_id).tail_arg(s.word).tail_arg(s.letter);
    call.tail_key(keys_.incident(s.incident_id)).tail_key(keys_.incident_texts(s.incident_id));
  }
  if (!finished.message_id.empty()) call.tail_key(keys_.sms_text(finished.message_id));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    done(!failed(ec, reply, "finish sms job"));
  });
}

}  // namespace puente::store
