#include "store/push_queue.hpp"

#include "core/clock.hpp"
#include "store/replies.hpp"
#include "store/script_call.hpp"

#include <charconv>

namespace puente::store {

using core::to_ms;
using redis::Reply;

namespace {

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto space = text.find(' ');
    out.emplace_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

}  // namespace

std::string PushJob::member() const {
  return kind + " " + std::to_string(attempt) + " " + responder_id + " " + subscription_id + " " +
         incident_id + " " + alert_id + " " + n;
}

PushJob PushJob::next_attempt() const {
  PushJob next = *this;
  ++next.attempt;
  return next;
}

std::optional<PushJob> PushJob::parse(std::string_view member) {
  const auto w = words(member);
  if (w.size() != 7) return std::nullopt;
  PushJob job;
  job.kind = w[0];
  const auto [end, ec] = std::from_chars(w[1].data(), w[1].data() + w[1].size(), job.attempt);
  if (ec != std::errc() || end != w[1].data() + w[1].size() || job.attempt < 1) return std::nullopt;
  job.responder_id = w[2];
  job.subscription_id = w[3];
  job.incident_id = w[4];
  job.alert_id = w[5];
  job.n = w[6];
  return job;
}

PushQueue::PushQueue(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(redis),
      keys_(std::move(keys)),
      rung_checks_(redis, keys_.rungs(), keys_.leased_rungs()) {}

void PushQueue::rung_facts(const std::string& incident_id, const std::string& alert_id,
                           const std::vector<std::string>& responders,
                           std::function<void(Outcome, RungFacts)> done) {
  using Key = lua::RungFacts::Key;
  using Arg = lua::RungFacts::Arg;
  ScriptCall<lua::RungFacts> call;
  call.key(Key::pushes, keys_.incident_pushes(incident_id))
      .key(Key::texts, keys_.incident_texts(incident_id))
      .key(Key::stopped, keys_.sms_stopped())
      .arg(Arg::alert_id, alert_id)
      .arg(Arg::responder_count, std::to_string(responders.size()));
  for (const auto& r : responders) call.tail_arg(r).tail_key(keys_.push_subscriptions(r));
  std::move(call).run(*redis_, [responders, done = std::move(done)](auto ec, Reply reply) {
    RungFacts facts;
    if (failed(ec, reply, "read rung facts")) return done(Outcome::unavailable, facts);
    const auto& e = reply.elements;
    for (std::size_t i = 0; i < responders.size() && 4 * i + 3 < e.size(); ++i) {
      if (e[4 * i].integer == 1) facts.queued.insert(responders[i]);
      if (e[4 * i + 1].integer > 0) facts.with_phone.insert(responders[i]);
      if (e[4 * i + 2].integer == 1) facts.texted.insert(responders[i]);
      if (e[4 * i + 3].integer == 1) facts.stopped.insert(responders[i]);
    }
    done(Outcome::ok, std::move(facts));
  });
}

void PushQueue::take_rungs(const std::string& incident_id, const std::string& alert_id,
                           const std::vector<std::string>& push_due,
                           const std::vector<std::string>& sms_due,
                           std::chrono::milliseconds bundle, std::optional<TimePoint> next,
                           TimePoint now, std::function<void(Outcome, std::size_t)> done) {
  using Key = lua::TakeRungs::Key;
  using Arg = lua::TakeRungs::Arg;
  ScriptCall<lua::TakeRungs> call;
  call.key(Key::rungs, keys_.rungs())
      .key(Key::leased_rungs, keys_.leased_rungs())
      .key(Key::incident, keys_.incident(incident_id))
      .key(Key::pushes, keys_.incident_pushes(incident_id))
      .key(Key::jobs, keys_.push_jobs())
      .key(Key::texts, keys_.incident_texts(incident_id))
      .key(Key::sms_jobs, keys_.sms_jobs())
      .key(Key::leased_sms_jobs, keys_.leased_sms_jobs())
      .arg(Arg::member, incident_id + " " + alert_id)
      .arg(Arg::next_ms, next ? std::to_string(to_ms(*next)) : "")
      .arg(Arg::now_ms, std::to_string(to_ms(now)))
      .arg(Arg::incident_id, incident_id)
      .arg(Arg::alert_id, alert_id)
      .arg(Arg::bundle_ms, std::to_string(bundle.count()))
      .arg(Arg::push_count, std::to_string(push_due.size()))
      .arg(Arg::sms_count, std::to_string(sms_due.size()));
  for (const auto& r : push_due) call.tail_arg(r).tail_key(keys_.push_subscriptions(r));
  for (const auto& r : sms_due) call.tail_arg(r).tail_key(keys_.sms_waiting(r));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "take rungs")) return done(Outcome::unavailable, 0);
    done(Outcome::ok, static_cast<std::size_t>(reply.integer));
  });
}

void PushQueue::queue_phone_push(const std::string& kind, const std::string& responder_id,
                                 const std::string& subscription_id, TimePoint now,
                                 std::optional<TimePoint> quiet_since,
                                 std::function<void(Outcome, std::size_t)> done) {
  using Key = lua::QueuePhonePush::Key;
  using Arg = lua::QueuePhonePush::Arg;
  ScriptCall<lua::QueuePhonePush> call;
  call.key(Key::phones, keys_.push_subscriptions(responder_id))
      .key(Key::jobs, keys_.push_jobs())
      .key(Key::notices, keys_.push_notices(responder_id))
      .arg(Arg::kind, kind)
      .arg(Arg::responder, responder_id)
      .arg(Arg::phone, subscription_id)
      .arg(Arg::now_ms, std::to_string(to_ms(now)))
      .arg(Arg::n, std::to_string(to_ms(now)))
      .arg(Arg::quiet_since, quiet_since ? std::to_string(to_ms(*quiet_since)) : "");
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "queue phone push")) return done(Outcome::unavailable, 0);
    done(Outcome::ok, static_cast<std::size_t>(reply.integer));
  });
}

void PushQueue::claim_jobs(TimePoint now, std::chrono::milliseconds lease, std::size_t most,
                           std::size_t per_second, std::function<void(std::vector<PushJob>)> done) {
  using Key = lua::ClaimJobs::Key;
  using Arg = lua::ClaimJobs::Arg;
  const auto now_ms = to_ms(now);
  ScriptCall<lua::ClaimJobs> call;
  call.key(Key::jobs, keys_.push_jobs())
      .key(Key::leased, keys_.leased_push_jobs())
      .key(Key::sent, keys_.push_sent(now_ms / 1000))
      .arg(Arg::now_ms, std::to_string(now_ms))
      .arg(Arg::lease_ms, std::to_string(now_ms + lease.count()))
      .arg(Arg::most, std::to_string(most))
      .arg(Arg::per_window, std::to_string(per_second))
      .arg(Arg::window_ms, "1000");
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    std::vector<PushJob> jobs;
    if (!failed(ec, reply, "claim push jobs"))
      for (const auto& member : reply.elements)
        if (auto job = PushJob::parse(member.str)) jobs.push_back(std::move(*job));
    done(std::move(jobs));
  });
}

void PushQueue::finish(const PushJob& job, const Finished& finished, TimePoint now,
                       std::function<void(bool)> done) {
  using Key = lua::FinishPushJob::Key;
  using Arg = lua::FinishPushJob::Arg;
  // A push that is not an alert's records nothing: its incident key is one that never exists.
  const std::string incident = job.is_alert() ? job.incident_id : "-";
  const std::string who = " " + job.alert_id + " " + job.responder_id;
  ScriptCall<lua::FinishPushJob> call;
  call.key(Key::leased, keys_.leased_push_jobs())
      .key(Key::jobs, keys_.push_jobs())
      .key(Key::incident, keys_.incident(incident))
      .key(Key::pushes, keys_.incident_pushes(incident))
      .arg(Arg::member, job.member())
      .arg(Arg::retry_member, finished.retry_at ? job.next_attempt().member() : "")
      .arg(Arg::retry_ms, finished.retry_at ? std::to_string(to_ms(*finished.retry_at)) : "")
      .arg(Arg::pushed_field, finished.pushed ? "pushed" + who : "")
      .arg(Arg::problem_field, finished.problem.empty() ? "" : "problem" + who)
      .arg(Arg::problem, finished.problem)
      .arg(Arg::now_ms, std::to_string(to_ms(now)));
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, Reply reply) {
    done(!failed(ec, reply, "finish push job"));
  });
}

void PushQueue::phone(const std::string& responder_id, const std::string& subscription_id,
                      std::function<void(Outcome, std::optional<v1::PushSubscription>)> done) {
  redis_->execute({"HGET", keys_.push_subscriptions(responder_id), subscription_id},
                  [done = std::move(done)](auto ec, Reply reply) {
                    if (failed(ec, reply, "read phone")) return done(Outcome::unavailable, {});
                    v1::PushSubscription s;
                    if (reply.type != Reply::Type::string || !s.ParseFromString(reply.str))
                      return done(Outcome::not_found, std::nullopt);
                    done(Outcome::ok, std::move(s));
                  });
}

}  // namespace puente::store
