// Alerts read from "<offset> <stored Alert bytes>": tagged_alert.hpp says why two ways.
#include "store/tagged_alert.hpp"

#include "store/stored_alert.hpp"

#include "puente/v1/wire_fields.hpp"

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

}  // namespace

bool parse_tagged_alert(std::string_view payload, v1::Alert& alert) {
  std::string_view offset, bytes;
  return split(payload, offset, bytes) && parse_stored(offset, bytes, alert);
}

bool parse_live_alert(std::string_view payload, LiveAlert& out) {
  out.recipients.clear();
  std::string_view offset, bytes;
  if (!split(payload, offset, bytes)) return false;

  // The ids as views first: the strings are then allocated once, in a vector of their number.
  std::vector<std::string_view> recipients;
  // The other fields, in their order. A stored alert's fields are in number order: its
  // recipients are one run, between what comes before them and what comes after.
  std::string kept;
  kept.reserve(bytes.size());
  const char* run = bytes.data();
  const bool walked = wire::for_each_field(bytes, [&](const wire::WireField& field) {
    if (field.number != v1::Alert::kRecipientsFieldNumber || !field.length_delimited()) return;
    recipients.push_back(field.payload());
    if (run != field.bytes.data()) kept.append(run, field.bytes.data());
    run = field.bytes.data() + field.bytes.size();
  });
  if (!walked) {
    // Bytes the walk refuses that the parser may still take (a group, which proto3 never
    // writes but the parser skips as unknown): parsed whole, so nothing parse_tagged_alert
    // takes is dropped here.
    if (!parse_stored(offset, bytes, out.alert)) return false;
    auto& ids = *out.alert.mutable_recipients();
    out.recipients.assign(std::make_move_iterator(ids.begin()), std::make_move_iterator(ids.end()));
    out.alert.clear_recipients();
    return true;
  }
  kept.append(run, bytes.data() + bytes.size());
  if (!parse_stored(offset, kept, out.alert)) return false;
  out.recipients.assign(recipients.begin(), recipients.end());
  return true;
}

}  // namespace puente::store
