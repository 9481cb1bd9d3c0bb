#include "channels/rung_worker.hpp"

#include "core/clock.hpp"
#include "core/push_subscription.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <map>

namespace puente::channels {

using Clock = std::chrono::system_clock;

namespace {

// A claimed check is ours this long; if this node dies holding it, another takes it after.
constexpr std::chrono::seconds lease{10};
constexpr std::size_t checks_per_poll = 64;

bool is_open(v1::IncidentStatus status) {
  return status == v1::REPORTED || status == v1::CONFIRMED;
}

}  // namespace

core::RecipientProgress progress_of(const v1::Incident& incident, const v1::Alert& alert,
                                    const std::string& responder,
                                    const store::PushQueue::RungFacts& facts, bool textable) {
  core::RecipientProgress progress;
  for (const auto& d : incident.deliveries()) {
    if (d.alert_id() != alert.id() || d.responder_id() != responder) continue;
    progress.socket_took_it = d.has_delivered_at();
    progress.answered = d.has_seen_at() || d.has_acked_at();
  }
  if (facts.queued.count(responder)) progress.tried.insert(core::Channel::push);
  if (facts.with_phone.count(responder)) progress.reachable_by.insert(core::Channel::push);
  if (facts.texted.count(responder)) progress.tried.insert(core::Channel::sms);
  if (textable && !facts.stopped.count(responder)) progress.reachable_by.insert(core::Channel::sms);
  return progress;
}

void mark_unreachable(v1::Incident& incident, const std::set<std::string>& with_phone,
                      const core::DeliveryLadders& ladders, const std::set<std::string>& textable) {
  std::map<std::string, v1::AlertType> types;
  for (const auto& alert : incident.alerts()) types[alert.id()] = alert.type();
  for (auto& d : *incident.mutable_deliveries()) {
    core::RecipientProgress progress;
    progress.socket_took_it = d.has_delivered_at();
    progress.answered = d.has_seen_at() || d.has_acked_at();
    if (with_phone.count(d.responder_id())) progress.reachable_by.insert(core::Channel::push);
    if (textable.count(d.responder_id())) progress.reachable_by.insert(core::Channel::sms);
    d.set_unreachable(!progress.answered && ladders.unreachable(types[d.alert_id()], progress));
  }
}

void mark_quiet_phones(v1::Incident& incident,
                       const std::map<std::string, std::vector<v1::PushSubscription>>& phones,
                       std::chrono::system_clock::time_point now,
                       std::chrono::seconds stale_after) {
  for (auto& d : *incident.mutable_deliveries()) {
    const auto theirs = phones.find(d.responder_id());
    if (theirs == phones.end()) continue;
    if (auto since = core::phones_quiet_since(theirs->second, now, stale_after))
      *d.mutable_phones_quiet_since() = core::to_timestamp(*since);
  }
}

RungWorker::RungWorker(boost::asio::any_io_executor executor, store::IncidentStore& incidents,
                       store::PushQueue& queue, const core::DeliveryLadders& ladders,
                       RungChannels channels, std::chrono::milliseconds poll)
    : timer_(boost::asio::make_strand(executor)),
      incidents_(incidents),
      queue_(queue),
      ladders_(ladders),
      channels_(std::move(channels)),
      poll_(poll) {}

void RungWorker::start() { schedule_poll(); }

void RungWorker::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void RungWorker::schedule_poll() {
  if (stopped_) return;
  timer_.expires_after(poll_);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->poll();
  });
}

void RungWorker::poll() {
  queue_.rung_checks().claim_due(Clock::now(), lease, checks_per_poll,
                                 [self = shared_from_this()](std::vector<std::string> due) {
                                   for (const auto& member : due) self->check(member);
                                   boost::asio::post(self->timer_.get_executor(),
                                                     [self] { self->schedule_poll(); });
                                 });
}

void RungWorker::check(const std::string& member) {
  const auto space = member.find(' ');
  if (space == std::string::npos) return queue_.rung_checks().complete(member, nullptr);
  const std::string incident_id = member.substr(0, space), alert_id = member.substr(space + 1);
  incidents_.load(incident_id, [self = shared_from_this(), member, alert_id](
                                   store::Outcome outcome, v1::Incident incident) {
    // Redis trouble: leave the lease to run out; the check comes back then.
    if (outcome == store::Outcome::unavailable) return;
    const auto& alerts = incident.alerts();
    auto alert = std::find_if(alerts.begin(), alerts.end(),
                              [&](const v1::Alert& a) { return a.id() == alert_id; });
    const bool over_now = alert != alerts.end() && !is_open(incident.status()) &&
                          alert->type() != v1::DEBUNK && alert->type() != v1::STAND_DOWN;
    if (outcome != store::Outcome::ok || alert == alerts.end() || over_now)
      return self->queue_.rung_checks().complete(member, nullptr);
    std::vector<std::string> recipients(alert->recipients().begin(), alert->recipients().end());
    // Before the incident moves into the handler: `alert` points into it.
    const auto index = static_cast<int>(alert - alerts.begin());
    self->queue_.rung_facts(incident.id(), alert_id, recipients,
                            [self, member, index, incident = std::move(incident)](
                                store::Outcome read, store::PushQueue::RungFacts facts) {
                              if (read != store::Outcome::ok) return;
                              self->decide(member, incident, incident.alerts(index), facts);
                            });
  });
}

void RungWorker::decide(const std::string& member, const v1::Incident& incident,
                        const v1::Alert& alert, const store::PushQueue::RungFacts& facts) {
  const auto now = Clock::now();
  const auto sent = core::to_time_point(alert.sent_at());
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::max(now - sent, Clock::duration{}));
  std::vector<std::string> push_due, sms_due;
  std::optional<std::chrono::seconds> look_again;
  for (const auto& responder : alert.recipients()) {
    auto progress = progress_of(incident, alert, responder, facts,
                                channels_.sms && channels_.has_sms_phone(responder));
    // A channel that is off reaches nobody (a phone registered while push was on stays unused).
    if (!channels_.push) progress.reachable_by.erase(core::Channel::push);
    const auto decision = ladders_.next(alert.type(), progress, elapsed);
    if (std::count(decision.now.begin(), decision.now.end(), core::Channel::push))
      push_due.push_back(responder);
    if (std::count(decision.now.begin(), decision.now.end(), core::Channel::sms))
      sms_due.push_back(responder);
    if (decision.look_again_at && (!look_again || *decision.look_again_at < *look_again))
      look_again = decision.look_again_at;
  }
  std::optional<Clock::time_point> next;
  if (look_again) next = std::max(sent + *look_again, now);
  queue_.take_rungs(incident.id(), alert.id(), push_due, sms_due, channels_.sms_bundle, next, now,
                    [member](store::Outcome outcome, std::size_t queued) {
                      if (outcome == store::Outcome::ok && queued > 0)
                        spdlog::debug("rungs: {} pushes and texts queued for {}", queued, member);
                    });
}

}  // namespace puente::channels
