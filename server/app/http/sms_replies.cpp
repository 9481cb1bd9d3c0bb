// A responder's reply by text message, applied (see sms_replies.hpp).

#include "app/http/sms_replies.hpp"

#include "core/help_call.hpp"

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/sms_answers.hpp"
#include "core/sms_reply.hpp"

#include <spdlog/spdlog.h>

#include <memory>

namespace puente::app::api {

namespace {

using core::SmsAnswer;

// "DISPONIBLE" without hours: as long as POST /v1/me/availability gives without minutes.
constexpr std::chrono::hours default_available{8};

// What one reply needs to answer in the sender's language.
struct Reply {
  ApiServices& s;
  const core::Responder& who;
  std::string language;
  std::function<void(std::string)> done;

  void say(SmsAnswer answer, const core::SmsAnswerFacts& facts = {}) const {
    done(core::sms_answer(answer, language, facts));
  }
};
using ReplyPtr = std::shared_ptr<const Reply>;

// "<incident id> <alert id>" as sms-codes holds it.
std::optional<std::pair<std::string, std::string>> alert_of(const std::string& code) {
  const auto space = code.find(' ');
  if (space == std::string::npos) return std::nullopt;
  std::pair<std::string, std::string> ids{code.substr(0, space), code.substr(space + 1)};
  if (!core::valid_id("inc", ids.first) || !core::valid_id("al", ids.second)) return std::nullopt;
  return ids;
}

// `note`: the duress word when the reply ended with it (core/help_call.hpp): the ack carries it
// as its note, and the dispatch service raises the help call and keeps the ack without it.
void ack(const ReplyPtr& r, const core::SmsReply& reply, const std::string& kannel_id,
         const std::string& note = {}) {
  r->s.sms_replies.reply_codes(r->who.id, [r, reply, kannel_id, note](
                                              store::Outcome outcome,
                                              std::map<std::string, std::string> codes) {
    if (outcome != store::Outcome::ok) return r->say(SmsAnswer::try_again);
    // A letter names an alert of the last bundle; none, the newest alert of the last text.
    const auto it = codes.find(reply.alert_letter ? std::string(1, *reply.alert_letter) : "latest");
    const auto alert = it == codes.end() ? std::nullopt : alert_of(it->second);
    if (!alert) return r->say(SmsAnswer::no_alert);
    v1::Ack ack;
    ack.set_incident_id(alert->first);
    ack.set_alert_id(alert->second);
    ack.set_state(reply.state);
    ack.set_note(note);
    // Kannel posts a message again when it got no answer: the same id records it once.
    if (!kannel_id.empty()) ack.set_idempotency_key("sms-" + kannel_id);
    r->s.acks.submit(
        Caller{r->who, "sms " + r->who.id}, std::move(ack),
        [r, reply](MaybeRefusal refusal, Accepted<v1::Ack>) {
          if (!refusal)
            return r->say(SmsAnswer::ack_recorded, {reply.state, reply.alert_letter, 0});
          if (refusal->kind() == RefusalKind::rate_limited) return r->say(SmsAnswer::try_again);
          spdlog::info("sms reply from {} not recorded: {}", r->who.id, refusal->code());
          r->say(SmsAnswer::alert_closed);
        });
  });
}

void set_available(const ReplyPtr& r, int hours) {
  std::optional<core::Clock::time_point> until;
  if (hours >= 0)
    until = core::Clock::now() + (hours ? std::chrono::hours(hours) : default_available);
  r->s.store.set_available(r->who.id, until, [r, hours](bool ok) {
    if (!ok) return r->say(SmsAnswer::try_again);
    if (hours < 0) return r->say(SmsAnswer::unavailable);
    const int shown = hours ? hours : static_cast<int>(default_available.count());
    r->say(SmsAnswer::available, {v1::ACK_STATE_UNSPECIFIED, std::nullopt, shown});
  });
}

// STOP: no more texts to them (the senders leave out whoever is in sms-stopped), and the
// dispatchers are told: the audit log says who and when, and the board's SMS line lists them.
void set_stopped(const ReplyPtr& r, bool stopped) {
  r->s.sms_replies.set_stopped(r->who.id, stopped, [r, stopped](store::Outcome outcome) {
    if (outcome == store::Outcome::unavailable) return r->say(SmsAnswer::try_again);
    if (outcome == store::Outcome::ok) {
      r->s.audit.record(r->who.id, stopped ? "sms.stop" : "sms.start", r->who.id);
      spdlog::info("{} replied {}: texts {}", r->who.id, stopped ? "STOP" : "START",
                   stopped ? "stopped" : "on again");
    }
    r->say(stopped ? SmsAnswer::stopped : SmsAnswer::started);
  });
}

// Anything else: the help text, once per reply window, so a conversation cannot go back and
// forth with the gateway (or a phone's autoresponder) at the network's cost.
void help_once(const ReplyPtr& r) {
  r->s.sms_replies.help_once(r->who.id, r->s.sms.reply_window, [r](store::Outcome outcome) {
    if (outcome == store::Outcome::ok) return r->say(SmsAnswer::help);
    r->done({});
  });
}

}  // namespace

void answer_sms_reply(ApiServices& s, const core::Responder& who, const sms::InboundSms& sms,
                      std::function<void(std::string text)> done) {
  const std::string language = s.rules.writer.language_of(who);
  auto r = std::make_shared<const Reply>(
      Reply{s, who, std::string(core::sms_answer_language({language}, language)), std::move(done)});
  // The people on scene (docs/on-scene.md): the silent help reply is an ack NEED_HELP of the
  // latest alert; a reply ending with the duress word is the reply before it, and a help call.
  const auto& on_scene = s.rules.policies.network().on_scene;
  if (core::is_help_reply(sms.text, on_scene.help_reply)) {
    core::SmsReply help;
    help.kind = core::SmsReplyKind::ack;
    help.state = v1::NEED_HELP;
    return ack(r, help, sms.gateway_id);
  }
  std::string note;
  auto text = sms.text;
  if (auto before = core::without_duress_word(sms.text, on_scene.duress_word)) {
    text = *before;
    note = on_scene.duress_word;
  }
  const auto reply = core::parse_sms_reply(text);
  spdlog::debug("sms reply from {}: {}", who.id, core::to_string(reply.kind));
  if (!note.empty() && reply.kind == core::SmsReplyKind::ack)
    return ack(r, reply, sms.gateway_id, note);
  switch (reply.kind) {
    case core::SmsReplyKind::ack: return ack(r, reply, sms.gateway_id);
    case core::SmsReplyKind::available: return set_available(r, reply.hours);
    case core::SmsReplyKind::unavailable: return set_available(r, -1);
    case core::SmsReplyKind::stop: return set_stopped(r, true);
    case core::SmsReplyKind::start: return set_stopped(r, false);
    case core::SmsReplyKind::help: return r->say(SmsAnswer::help);
    case core::SmsReplyKind::unknown: return help_once(r);
  }
}

}  // namespace puente::app::api
