// The SMS dispatch (sms_dispatch.hpp): a claimed responder's waiting alerts read, settled or
// written into one text, handed to smsbox, and the outcome recorded in one store step.
#include "channels/sms_dispatch.hpp"

#include "channels/sms/delivery_report.hpp"
#include "core/clock.hpp"
#include "core/help_call.hpp"
#include "core/ids.hpp"
#include "core/push_payload.hpp"
#include "core/sms_reply.hpp"
#include "core/sms_text.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>

namespace puente::channels {

using Clock = std::chrono::system_clock;
using sms::SendsmsOutcome;

namespace {

// Alerts one text carries at most: each keeps its letter, code and a few words in two segments.
constexpr std::size_t most_per_text = 6;

}  // namespace

std::chrono::seconds sms_retry_delay(int attempt) {
  return std::min<std::chrono::seconds>(std::chrono::seconds(1LL << std::clamp(attempt - 1, 0, 6)),
                                        std::chrono::seconds(60));
}

struct SmsDispatch::Text {
  std::string responder;
  store::SmsQueue::Facts facts;
  std::vector<std::string> incident_ids;  // distinct, to load
  std::size_t loaded = 0;
  std::map<std::string, v1::Incident> incidents;
  std::vector<std::pair<std::string, v1::Alert>> carried;  // incident id, alert: in this text
  store::SmsQueue::Finished finished;
};

SmsDispatch::SmsDispatch(boost::asio::any_io_executor executor, store::SmsQueue& queue,
                         store::IncidentStore& incidents,
                         std::shared_ptr<sms::SendsmsClient> client,
                         sms::GatewayCredentials credentials, SmsTexts texts,
                         core::Metrics& metrics, SmsDispatchOptions options)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      queue_(queue),
      incidents_(incidents),
      client_(std::move(client)),
      credentials_(std::move(credentials)),
      texts_(std::move(texts)),
      metrics_(metrics),
      options_(std::move(options)) {}

void SmsDispatch::start() { schedule_poll(); }

void SmsDispatch::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void SmsDispatch::schedule_poll() {
  if (stopped_) return;
  timer_.expires_after(options_.poll);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->poll();
  });
}

void SmsDispatch::poll() {
  const std::size_t busy = in_flight_.load();
  if (busy >= options_.most_in_flight) return schedule_poll();
  const auto rate = core::sms_rate_window(options_.sends_per_second);
  queue_.claim(Clock::now(), options_.lease, options_.most_in_flight - busy, rate.texts,
               rate.seconds, [self = shared_from_this()](std::vector<std::string> responders) {
                 for (const auto& responder : responders) self->send(responder);
                 boost::asio::post(self->timer_.get_executor(), [self] { self->schedule_poll(); });
               });
}

void SmsDispatch::send(const std::string& responder_id) {
  ++in_flight_;
  queue_.facts(responder_id, Clock::now(),
               [self = shared_from_this(), responder_id](store::Outcome outcome,
                                                         store::SmsQueue::Facts facts) {
                 // Redis trouble: leave the lease to run out; the text comes back then.
                 if (outcome != store::Outcome::ok) return void(--self->in_flight_);
                 auto text = std::make_shared<Text>();
                 text->responder = responder_id;
                 text->facts = std::move(facts);
                 if (text->facts.stopped) {
                   for (const auto& w : text->facts.waiting) {
                     text->finished.settled.push_back({w.incident_id, w.alert_id, "stopped", ""});
                     self->count_problem("stopped");
                   }
                   return self->finish(text);
                 }
                 for (const auto& w : text->facts.waiting)
                   if (std::find(text->incident_ids.begin(), text->incident_ids.end(),
                                 w.incident_id) == text->incident_ids.end())
                     text->incident_ids.push_back(w.incident_id);
                 self->load_next(text);
               });
}

void SmsDispatch::load_next(std::shared_ptr<Text> text) {
  if (text->loaded == text->incident_ids.size()) return write_and_send(text);
  const auto id = text->incident_ids[text->loaded];
  incidents_.load(
      id, [self = shared_from_this(), text, id](store::Outcome outcome, v1::Incident incident) {
        if (outcome == store::Outcome::unavailable) return void(--self->in_flight_);
        if (outcome == store::Outcome::ok) text->incidents.emplace(id, std::move(incident));
        ++text->loaded;
        self->load_next(text);
      });
}

void SmsDispatch::write_and_send(std::shared_ptr<Text> text) {
  const auto now = Clock::now();
  const bool over_budget = text->facts.sent_this_hour >= options_.max_per_hour;
  auto& settled = text->finished.settled;
  for (const auto& w : text->facts.waiting) {
    const auto incident = text->incidents.find(w.incident_id);
    const v1::Alert* alert = nullptr;
    if (incident != text->incidents.end())
      for (const auto& a : incident->second.alerts())
        if (a.id() == w.alert_id) alert = &a;
    if (!alert) {  // purged, or never written: nothing to tell
      settled.push_back({w.incident_id, w.alert_id, "", ""});
    } else if (text->facts.attempt > 0 && now - w.taken > options_.give_up_after) {
      settled.push_back({w.incident_id, w.alert_id, "gateway_down", ""});
    } else if (over_budget && !core::urgent(alert->type())) {
      settled.push_back({w.incident_id, w.alert_id, "over_budget", ""});
      count_problem("over_budget");
    } else if (text->carried.size() < most_per_text) {
      text->carried.emplace_back(w.incident_id, *alert);
    }  // else: it waits for the next text, which the finish step queues at once
  }
  const std::string phone = texts_.phone_of(text->responder);
  const std::string lang = texts_.language_of(text->responder);
  std::optional<core::FittedSms> fitted;
  while (!text->carried.empty() && !phone.empty()) {
    std::vector<core::SmsAlertPart> parts;
    for (const auto& [incident_id, alert] : text->carried) {
      const auto* where = texts_.geo.find(alert.neighborhood());
      const core::AlertFields fields{alert.kind(), where ? where->name : alert.neighborhood(),
                                     core::coarse_place(alert.location().description()),
                                     texts_.zone.to_local(core::to_time_point(alert.sent_at()))};
      // The people on scene's alerts carry their own words (core/help_call.hpp).
      const auto own = alert.texts().find(lang);
      parts.push_back({core::incident_code(incident_id),
                       core::is_on_scene_alert(alert.type())
                           ? (own != alert.texts().end() ? own->second : alert.text())
                           : texts_.templates.sms_body(alert.type(), lang, fields)});
    }
    fitted = core::compose_alert_sms(parts, texts_.templates.sms_text("REPLY", lang),
                                     texts_.templates.sms_text("REPLY_BUNDLE", lang));
    if (fitted || text->carried.size() == 1) break;
    text->carried.pop_back();  // it goes in the next text
  }
  if (!fitted) {
    // No number any more (the roster changed), or templates too long for even one alert.
    for (const auto& [incident_id, alert] : text->carried) {
      settled.push_back({incident_id, alert.id(), "refused", ""});
      count_problem("refused");
    }
    if (!text->carried.empty())
      spdlog::warn("sms: a text to {} was not written: {}", text->responder,
                   phone.empty() ? "no phone number in the roster" : "the [sms] texts do not fit");
    text->carried.clear();
    return finish(text);
  }
  text->finished.message_id = core::new_id("sms");
  sms::OutboundSms outbound{
      .to = phone,
      .text = fitted->text,
      .dlr_url = sms::delivery_report_url(options_.callback_url + "/v1/sms/dlr", credentials_,
                                          text->finished.message_id),
      .dlr_mask = sms::kDlrAll};
  client_->send(outbound, [self = shared_from_this(), text](sms::SendsmsResult result) {
    self->sent(text, result);
  });
}

void SmsDispatch::sent(std::shared_ptr<Text> text, const sms::SendsmsResult& result) {
  auto& finished = text->finished;
  const bool bundle = text->carried.size() > 1;
  switch (result.outcome) {
    case SendsmsOutcome::accepted:
    case SendsmsOutcome::queued:
      metrics_.texts_sent.inc();
      gateway_down_ = false;
      finished.gateway_state = "up";
      for (std::size_t i = 0; i < text->carried.size(); ++i) {
        const auto& [incident_id, alert] = text->carried[i];
        finished.settled.push_back({incident_id, alert.id(), "texted",
                                    bundle ? std::string(1, *core::bundle_letter(i)) : ""});
      }
      spdlog::info("sms: text {} to {} carrying {} alerts: {}", finished.message_id,
                   text->responder, text->carried.size(), sms::to_string(result.outcome));
      break;
    case SendsmsOutcome::gateway_down:
      gateway_down_ = true;
      finished.message_id.clear();
      finished.gateway_state = "down";
      finished.gateway_problem = "gateway_down";
      finished.retry_at = Clock::now() + sms_retry_delay(text->facts.attempt + 1);
      count_problem("gateway_down");
      spdlog::warn("sms: the gateway is down; a text to {} is tried again later ({})",
                   text->responder, result.detail);
      break;
    case SendsmsOutcome::refused:
      gateway_down_ = false;
      finished.message_id.clear();
      finished.gateway_state = "up";
      for (const auto& [incident_id, alert] : text->carried) {
        finished.settled.push_back({incident_id, alert.id(), "refused", ""});
        count_problem("refused");
      }
      spdlog::warn("sms: smsbox refused a text to {}: {}", text->responder, result.detail);
      break;
  }
  finish(text);
}

void SmsDispatch::finish(std::shared_ptr<Text> text) {
  queue_.finish(text->responder, text->finished, Clock::now(), options_.reply_window,
                [self = shared_from_this()](bool) { --self->in_flight_; });
}

void SmsDispatch::count_problem(const std::string& word) {
  for (std::size_t i = 0; i < core::Metrics::text_failures.size(); ++i)
    if (word == core::Metrics::text_failures[i]) metrics_.texts_failed[i].inc();
}

}  // namespace puente::channels
