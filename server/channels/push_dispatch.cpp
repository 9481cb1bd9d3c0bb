#include "channels/push_dispatch.hpp"

#include "core/base64url.hpp"
#include "core/clock.hpp"
#include "core/push_payload.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace puente::channels {

using Clock = std::chrono::system_clock;
using push::PushOutcome;

std::chrono::seconds retry_delay(int attempt, std::optional<std::chrono::seconds> retry_after) {
  const auto backoff = std::chrono::seconds(1LL << std::clamp(attempt - 1, 0, 9));
  const auto delay = std::min<std::chrono::seconds>(backoff, std::chrono::minutes(5));
  return retry_after ? std::max(delay, *retry_after) : delay;
}

PushDispatch::PushDispatch(boost::asio::any_io_executor executor, store::PushQueue& queue,
                           store::IncidentStore& incidents, store::PushSubscriptionStore& phones,
                           std::shared_ptr<push::PushSender> sender, PushTexts texts,
                           core::Metrics& metrics, PushDispatchOptions options)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      queue_(queue),
      incidents_(incidents),
      phones_(phones),
      sender_(std::move(sender)),
      texts_(std::move(texts)),
      metrics_(metrics),
      options_(options) {
  options_.sends_per_second = std::max<std::size_t>(1, options_.sends_per_second);
}

void PushDispatch::start(std::shared_ptr<const core::AckCapabilityKey> ack_key) {
  ack_key_ = std::move(ack_key);
  schedule_poll();
}

void PushDispatch::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void PushDispatch::send_test(const std::string& responder_id, std::function<void(int)> done) {
  queue_.queue_phone_push("test", responder_id, "", Clock::now(), std::nullopt,
                          [done = std::move(done)](store::Outcome outcome, std::size_t queued) {
                            done(outcome == store::Outcome::ok ? static_cast<int>(queued) : -1);
                          });
}

void PushDispatch::send_notice(const std::string& kind, const std::string& responder_id,
                               const std::string& subscription_id, Clock::time_point quiet_since,
                               std::function<void(bool)> done) {
  queue_.queue_phone_push(kind, responder_id, subscription_id, Clock::now(), quiet_since,
                          [done = std::move(done)](store::Outcome outcome, std::size_t queued) {
                            if (done) done(outcome == store::Outcome::ok && queued > 0);
                          });
}

void PushDispatch::schedule_poll() {
  if (stopped_) return;
  timer_.expires_after(options_.poll);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->poll();
  });
}

void PushDispatch::poll() {
  const std::size_t busy = in_flight_.load();
  if (busy >= options_.most_in_flight) return schedule_poll();
  queue_.claim_jobs(
      Clock::now(), options_.lease, options_.most_in_flight - busy, options_.sends_per_second,
      [self = shared_from_this()](std::vector<store::PushJob> jobs) {
        const bool more = !jobs.empty();
        self->send_all(std::move(jobs));
        // A full claim may leave more due: look again at once.
        if (more && !self->stopped_)
          return boost::asio::post(self->timer_.get_executor(), [self] { self->poll(); });
        boost::asio::post(self->timer_.get_executor(), [self] { self->schedule_poll(); });
      });
}

void PushDispatch::send_all(std::vector<store::PushJob> jobs) {
  // A claim holds up to most_in_flight pushes, mostly of one alert to each of its recipients'
  // phones: reading the alert once for all of them keeps a push's cost from growing with the
  // alert's recipients (the whole incident per push, as before, did, and an alert to 500 of them
  // held Redis past its command deadline).
  std::map<std::pair<std::string, std::string>, std::vector<store::PushJob>> by_alert;
  for (auto& job : jobs) {
    ++in_flight_;
    if (job.is_alert())
      by_alert[{job.incident_id, job.alert_id}].push_back(std::move(job));
    else
      send(std::move(job), nullptr);
  }
  for (auto& [alert_key, alert_jobs] : by_alert) {
    const auto& [incident_id, alert_id] = alert_key;
    incidents_.load_alert(incident_id, alert_id,
                          [self = shared_from_this(), alert_jobs = std::move(alert_jobs)](
                              store::Outcome loaded, v1::Alert alert) mutable {
                            // Redis trouble: the leases run out and the pushes come back.
                            if (loaded == store::Outcome::unavailable)
                              return void(self->in_flight_ -= alert_jobs.size());
                            // Purged, or never written: nothing to tell (send() finishes each).
                            std::shared_ptr<const v1::Alert> shared;
                            if (loaded == store::Outcome::ok)
                              shared = std::make_shared<const v1::Alert>(std::move(alert));
                            for (auto& job : alert_jobs) self->send(std::move(job), shared);
                          });
  }
}

void PushDispatch::send(store::PushJob job, std::shared_ptr<const v1::Alert> alert) {
  queue_.phone(
      job.responder_id, job.subscription_id,
      [self = shared_from_this(), job, alert = std::move(alert)](
          store::Outcome outcome, std::optional<v1::PushSubscription> phone) mutable {
        // Redis trouble: leave the lease to run out; the push comes back then.
        if (outcome == store::Outcome::unavailable) return void(--self->in_flight_);
        // The phone was removed since, or the alert's incident is gone: nothing to send.
        if (!phone || (job.is_alert() && !alert)) return self->done_with(job, {});
        push::PushOptions options;
        options.ttl = self->options_.ttl;
        if (!job.is_alert()) {
          auto payload = self->notice_payload(job);
          return self->send_to(std::move(job), std::move(*phone), std::move(payload), options);
        }
        options.urgency = core::urgent(alert->type()) ? push::Urgency::high : push::Urgency::normal;
        options.topic = push::topic_for(job.incident_id);
        auto payload = self->alert_payload(job, *alert);
        self->send_to(std::move(job), std::move(*phone), std::move(payload), options);
      });
}

void PushDispatch::send_to(store::PushJob job, v1::PushSubscription phone, std::string payload,
                           push::PushOptions options) {
  push::PushSubscription target;
  target.endpoint = phone.endpoint();
  // Keys that do not decode reach the sender empty, which refuses them without a connection.
  target.keys.p256dh = core::base64url_decode(phone.keys().p256dh()).value_or("");
  target.keys.auth_secret = core::base64url_decode(phone.keys().auth()).value_or("");
  const auto started = std::chrono::steady_clock::now();
  sender_->send(target, payload, options,
                [self = shared_from_this(), job = std::move(job),
                 started](push::PushResult result) { self->finished(job, result, started); });
}

void PushDispatch::finished(const store::PushJob& job, const push::PushResult& result,
                            std::chrono::steady_clock::time_point started) {
  metrics_.push_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  const auto word = std::string(push::to_string(result.outcome));
  store::PushQueue::Finished finished;
  if (result.outcome == PushOutcome::accepted) {
    metrics_.pushes_sent.inc();
    finished.pushed = true;
    if (job.kind == "dropped") {
      phones_.remove(job.responder_id, job.subscription_id, [](store::Outcome) {});
    } else {
      // A change, not a rewrite: the phone's last contact may be written at the same moment.
      const auto now = core::to_timestamp(Clock::now());
      const bool nudge = job.kind == "nudge";
      phones_.update(
          job.responder_id, job.subscription_id,
          [now, nudge](v1::PushSubscription& record) {
            *record.mutable_last_pushed_at() = now;
            if (nudge) *record.mutable_nudged_at() = now;
          },
          [](store::Outcome) {});
    }
    return done_with(job, finished);
  }
  if (job.kind == "dropped")  // the notice went (or could not): the phone goes either way
    phones_.remove(job.responder_id, job.subscription_id, [](store::Outcome) {});
  for (std::size_t i = 0; i < core::Metrics::push_failures.size(); ++i)
    if (word == core::Metrics::push_failures[i]) metrics_.pushes_failed[i].inc();
  // The service's host at most: the endpoint is a capability (push_sender.hpp).
  spdlog::info("push: {} push to a phone of {} attempt {}: {} ({})", job.kind, job.responder_id,
               job.attempt, word, result.detail);
  finished.problem = word;
  if (result.outcome == PushOutcome::gone)
    phones_.forget_endpoint(job.subscription_id, [](store::Outcome, std::size_t) {});
  const bool transient =
      result.outcome == PushOutcome::retry_later || result.outcome == PushOutcome::network_error;
  if (transient && job.attempt < options_.max_attempts)
    finished.retry_at = Clock::now() + retry_delay(job.attempt, result.retry_after);
  done_with(job, finished);
}

void PushDispatch::done_with(const store::PushJob& job, store::PushQueue::Finished finished) {
  queue_.finish(job, finished, Clock::now(),
                [self = shared_from_this()](bool) { --self->in_flight_; });
}

std::string PushDispatch::alert_payload(const store::PushJob& job, const v1::Alert& alert) const {
  const std::string lang = texts_.language_of(job.responder_id);
  const auto* where = texts_.geo.find(alert.neighborhood());
  const core::AlertFields fields{alert.kind(), where ? where->name : alert.neighborhood(),
                                 core::coarse_place(alert.location().description()),
                                 texts_.zone.to_local(core::to_time_point(alert.sent_at()))};
  core::PushPayload p;
  p.kind = "alert";
  p.lang = lang;
  p.title = texts_.templates.push_title(alert.type(), lang, fields);
  const auto text = alert.texts().find(lang);
  p.body = text != alert.texts().end() ? text->second : alert.text();
  p.alert = &alert;
  if (ack_key_)
    p.capability = ack_key_->mint({.alert_id = alert.id(),
                                   .responder_id = job.responder_id,
                                   .subscription_id = job.subscription_id,
                                   .expires_at = Clock::now() + options_.capability_lifetime});
  for (auto state : core::notification_actions(alert.type()))
    p.actions.emplace_back(v1::AckState_Name(state),
                           texts_.templates.push_text(v1::AckState_Name(state), lang));
  return core::push_payload_json(p, push::max_payload_bytes);
}

std::string PushDispatch::notice_payload(const store::PushJob& job) const {
  const std::string lang = texts_.language_of(job.responder_id);
  std::string key = job.kind;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  core::PushPayload p;
  p.kind = job.kind;
  p.lang = lang;
  p.title = texts_.templates.push_text(key + "_TITLE", lang);
  p.body = texts_.templates.push_text(key + "_BODY", lang);
  return core::push_payload_json(p, push::max_payload_bytes);
}

}  // namespace puente::channels
