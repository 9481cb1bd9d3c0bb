// Alerts read from "<offset> <stored Alert bytes>": tagged_alert.hpp says why two ways.
#include "store/tagged_alert.hpp"

#include "store/stored_alert.hpp"

#include "puente/v1/wire_fields.hpp"

#include <optional>

namespace puente::store {

namespace {

// "<offset> <bytes>" split, as split_tagged (keys.hpp) splits it, without copying either part.
bool split(std::string_view payload, std::string_view& offset, std::string_view& bytes) {
  const auto space = payload.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  offset = payload.substr(0, space);
  bytes = payload.substr(space + 1);
  return true;
}

// parse_tagged_alert's work on the bytes after the tag, `kept`: the alert without (some of) its
// recipients.
bool parse_stored(std::string_view offset, std::string_view kept, v1::Alert& alert) {
  if (!alert.ParseFromArray(kept.data(), static_cast<int>(kept.size()))) return false;
  restore_stored_alert(alert);
  alert.set_offset(std::string(offset));
  return true;
}

// If `rest` opens with a recipient field whose tag and length are one byte each, the id's
// length; what the general walk (wire::WireFields) reads there too.
std::optional<std::size_t> short_recipient_length(std::string_view rest) {
  constexpr auto tag = static_cast<unsigned char>((v1::Alert::kRecipientsFieldNumber << 3) | 2);
  static_assert(tag < 0x80, "the recipients' tag is one byte");
  if (rest.size() < 2 || static_cast<unsigned char>(rest[0]) != tag) return std::nullopt;
  const auto length = static_cast<unsigned char>(rest[1]);
  if (length >= 0x80 || length > rest.size() - 2) return std::nullopt;
  return length;
}

}  // namespace

bool parse_tagged_alert(std::string_view payload, v1::Alert& alert) {
  std::string_view offset, bytes;
  return split(payload, offset, bytes) && parse_stored(offset, bytes, alert);
}

bool parse_live_alert(std::string_view payload, LiveAlert& out) {
  out.recipients.clear();
  out.bytes = std::make_unique<const std::string>(payload);
  std::string_view offset, bytes;
  if (!split(*out.bytes, offset, bytes)) return false;

  // The other fields, in their order. A stored alert's fields are in number order: its
  // recipients are one run, between what comes before them and what comes after.
  std::string kept;
  kept.reserve(bytes.size());
  const char* run = bytes.data();
  // Ids are ~20 bytes: a field is at least a byte of tag, one of length and an id.
  out.recipients.reserve(bytes.size() / 16);
  auto take_recipient = [&](std::string_view field, std::string_view id) {
    out.recipients.push_back(id);
    if (run != field.data()) kept.append(run, field.data());
    run = field.data() + field.size();
  };
  std::string_view rest = bytes;
  bool walked = true;
  while (!rest.empty()) {
    // A recipient whose tag and length are a byte each (an id under 128 bytes: all of them) is
    // read here: the general walk costs ~76 instructions a field, ~7,600 an alert's hundred ids.
    // It reads such a field the same way.
    if (const auto length = short_recipient_length(rest)) {
      take_recipient(rest.substr(0, 2 + *length), rest.substr(2, *length));
      rest.remove_prefix(2 + *length);
      continue;
    }
    wire::WireFields fields(rest);
    wire::WireField field;
    if (!fields.next(field)) {
      walked = false;  // `rest` is not empty: the walk refused it
      break;
    }
    if (field.number == v1::Alert::kRecipientsFieldNumber && field.length_delimited())
      take_recipient(field.bytes, field.payload());
    rest.remove_prefix(field.bytes.size());
  }
  if (!walked) {
    // Bytes the walk refuses that the parser may still take (a group, which proto3 never
    // writes but the parser skips as unknown): parsed whole, so nothing parse_tagged_alert
    // takes is dropped here. The ids are copied once into the kept bytes, viewed there.
    out.recipients.clear();
    if (!parse_stored(offset, bytes, out.alert)) return false;
    auto& ids = *out.alert.mutable_recipients();
    std::string all;
    for (const auto& id : ids) all += id;
    auto owned = std::make_unique<const std::string>(std::move(all));
    std::size_t at = 0;
    for (const auto& id : ids) {
      out.recipients.push_back(std::string_view(*owned).substr(at, id.size()));
      at += id.size();
    }
    out.bytes = std::move(owned);
    out.alert.clear_recipients();
    return true;
  }
  kept.append(run, bytes.data() + bytes.size());
  return parse_stored(offset, kept, out.alert);
}

}  // namespace puente::store
