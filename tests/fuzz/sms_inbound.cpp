// What Kannel posts to a node (channels/sms/): a reply as the inbound route reads it (target,
// Content-Type, body: the input's first two lines and the rest), read on as a reply is (the
// duress word, the help reply, then core/sms_reply.hpp), and the same target as a delivery
// report.
//
// Beyond "no crash": what is refused says why; a text is never longer than the limit; a sender
// is always a hash; a reply's answer is one the protocol has (an ack's state, a bundle letter,
// 1 to 24 hours); a delivery report names its send by an id's characters only.

#include "fuzz_target.hpp"

#include "channels/sms/delivery_report.hpp"
#include "channels/sms/inbound_sms.hpp"
#include "core/help_call.hpp"
#include "core/responder_phones.hpp"
#include "core/sms_reply.hpp"

namespace puente::fuzz {
namespace {

const core::ResponderPhones& phones() {
  static const auto roster = core::Roster::from_toml(
      "[[responder]]\nid = \"vol-ana\"\nroles = [\"volunteer\"]\n"
      "phone = \"+13235550123\"\nchannels = [\"sms\"]\n");
  static const core::ResponderPhones phones(roster, core::CallerKey(std::string(32, 'k')));
  return phones;
}

void check_reply(std::string_view text) {
  const auto undisguised = core::without_duress_word(text, "lima");
  const std::string reply = undisguised ? *undisguised : std::string(text);
  if (core::is_help_reply(reply, "ayuda ya")) return;
  const auto read = core::parse_sms_reply(reply);
  switch (read.kind) {
    case core::SmsReplyKind::ack:
      fuzz_check(read.state >= v1::EN_ROUTE && v1::AckState_IsValid(read.state),
                 "a reply acks with a state the protocol does not have");
      if (read.alert_letter)
        fuzz_check(core::bundle_index(*read.alert_letter).has_value(),
                   "a reply names an alert by a letter that is not a bundle letter");
      break;
    case core::SmsReplyKind::available:
      fuzz_check(read.hours >= 0 && read.hours <= core::kMaxAvailableHours,
                 "a reply is available for hours out of range");
      break;
    default: break;
  }
}

}  // namespace
}  // namespace puente::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using namespace puente::fuzz;
  auto input = as_text(data, size);
  const auto next_line = [&input] {
    const auto end = input.find('\n');
    const auto line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    return line;
  };
  const auto target = next_line();
  const auto content_type = next_line();
  const auto body = input;

  const auto inbound = sms::parse_inbound_sms(target, content_type, body, phones());
  if (inbound.sms) {
    fuzz_check(inbound.sms->text.size() <= 4 * sms::kMaxInboundBytes,
               "an inbound text is longer than the limit allows");
    fuzz_check(!inbound.sms->from_hash.empty(), "an inbound text has no sender's hash");
    check_reply(inbound.sms->text);
  } else {
    fuzz_check(!inbound.error.empty(), "a refused inbound text does not say why");
  }

  const auto report = sms::parse_delivery_report(target, phones());
  if (report.report) {
    const auto& id = report.report->message_id;
    fuzz_check(!id.empty() && id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                                   "vwxyz0123456789-_") == std::string::npos,
               "a delivery report names its send by more than an id's characters");
    fuzz_check(report.report->smsc_answer.size() <= 160, "an SMSC answer is over 160 bytes");
  } else {
    fuzz_check(!report.error.empty(), "a refused delivery report does not say why");
  }
  return 0;
}
