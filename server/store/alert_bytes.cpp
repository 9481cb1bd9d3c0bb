// The alert serialized without its recipients (a copy of the rest: a few strings), its
// recipients spliced into those bytes where protobuf puts them: after every field
// numbered below theirs, before every field above (protobuf writes a message's known fields in
// the order of their numbers, its unknown fields last).
#include "store/alert_bytes.hpp"

#include "store/stored_alert.hpp"

#include "puente/v1/wire_fields.hpp"

#include <google/protobuf/unknown_field_set.h>

#include <cstdint>
#include <cstring>

namespace puente::store {

namespace {

// Everything of `alert` but its recipients, field by field (a copy through reflection cost
// four times as much). alert_bytes_test.cpp sets every field of Alert and fails on one
// left out here.
v1::Alert without_recipients(const v1::Alert& alert) {
  v1::Alert shell;
  shell.set_id(alert.id());
  shell.set_offset(alert.offset());
  shell.set_incident_id(alert.incident_id());
  shell.set_neighborhood(alert.neighborhood());
  shell.set_type(alert.type());
  shell.set_text(alert.text());
  if (alert.has_location()) *shell.mutable_location() = alert.location();
  shell.set_kind(alert.kind());
  if (alert.has_sent_at()) *shell.mutable_sent_at() = alert.sent_at();
  *shell.mutable_audience() = alert.audience();
  shell.set_escalation_step(alert.escalation_step());
  *shell.mutable_texts() = alert.texts();
  shell.set_note(alert.note());
  shell.set_about_responder_id(alert.about_responder_id());
  shell.set_about_name(alert.about_name());
  shell.set_missed_check_ins(alert.missed_check_ins());
  shell.set_sent_by(alert.sent_by());
  shell.set_text_language(alert.text_language());
  if (const auto& unknown = alert.GetReflection()->GetUnknownFields(alert); !unknown.empty())
    shell.GetReflection()->MutableUnknownFields(&shell)->MergeFrom(unknown);
  return shell;
}

// The recipients' fields as protobuf writes them: for each, its tag, its length (a varint),
// its bytes. Written through a pointer into a buffer sized first (wire::write_varint).
std::string recipient_fields(const v1::Alert& alert) {
  constexpr std::uint8_t tag = (v1::Alert::kRecipientsFieldNumber << 3) | 2;  // length-delimited
  static_assert(tag < 0x80, "the recipients' tag is one byte");
  std::size_t size = 0;
  for (const auto& id : alert.recipients()) size += 1 + wire::longest_varint + id.size();
  std::string out(size, '\0');
  char* p = out.data();
  for (const auto& id : alert.recipients()) {
    *p++ = static_cast<char>(tag);
    p = wire::write_varint(p, id.size());
    std::memcpy(p, id.data(), id.size());
    p += id.size();
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
  return out;
}

// `bytes` (an alert's, without recipients) with `recipients` (recipient_fields) put where
// protobuf writes them: before the first field numbered above theirs.
std::string with_recipients(std::string_view bytes, std::string_view recipients) {
  std::size_t at = bytes.size();
  wire::WireFields fields(bytes);
  wire::WireField field;
  while (fields.next(field)) {
    if (field.number > v1::Alert::kRecipientsFieldNumber) {
      at = static_cast<std::size_t>(field.bytes.data() - bytes.data());
      break;
    }
  }
  std::string out;
  out.reserve(bytes.size() + recipients.size());
  out.append(bytes.substr(0, at));
  out.append(recipients);
  out.append(bytes.substr(at));
  return out;
}

}  // namespace

AlertBytes alert_bytes(const v1::Alert& alert) {
  // Too few recipients to be worth the copy: protobuf's own way.
  if (alert.recipients_size() < 8) {
    auto whole = alert.SerializeAsString();
    auto stored = stored_alert(alert, whole);
    return {std::move(whole), std::move(stored)};
  }
  const auto shell = without_recipients(alert);
  const auto bytes = shell.SerializeAsString();
  const auto recipients = recipient_fields(alert);
  return {with_recipients(bytes, recipients),
          with_recipients(stored_alert(shell, bytes), recipients)};
}

}  // namespace puente::store
