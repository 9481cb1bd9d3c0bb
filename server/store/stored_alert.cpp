// An alert to and from the bytes Redis keeps: stored_alert.hpp says what is left out and why.
#include "store/stored_alert.hpp"

#include "puente/v1/wire_fields.hpp"

namespace puente::store {

namespace {

// The language whose `texts` entry repeats `text`, or null if none does.
const std::string* repeated_language(const v1::Alert& alert) {
  if (alert.text().empty()) return nullptr;
  const std::string* same = nullptr;
  for (const auto& [language, text] : alert.texts()) {
    // An empty key cannot be named: an empty text_language reads as "nothing left out".
    if (language.empty()) continue;
    // The smallest such tag: the same alert always stores the same bytes.
    if (text == alert.text() && (!same || language < *same)) same = &language;
  }
  return same;
}

// Whether `entry`, the bytes of one map<string, string> entry, has the key `key`.
bool entry_has_key(std::string_view entry, std::string_view key) {
  bool found = false;
  wire::for_each_field(entry, [&](const wire::WireField& field) {
    if (field.number == 1) found = field.length_delimited() && field.payload() == key;
  });
  return found;
}

}  // namespace

std::string stored_alert(const v1::Alert& alert) {
  return stored_alert(alert, alert.SerializeAsString());
}

std::string stored_alert(const v1::Alert& alert, std::string_view serialized) {
  const auto* language = repeated_language(alert);
  if (!language) return std::string(serialized);
  // The entry's place in the bytes; what comes before and after it is copied whole, not field by
  // field (a hundred recipients).
  std::string_view entry;
  wire::for_each_field(serialized, [&](const wire::WireField& field) {
    if (entry.empty() && field.number == v1::Alert::kTextsFieldNumber && field.length_delimited() &&
        entry_has_key(field.payload(), *language))
      entry = field.bytes;
  });
  if (entry.empty()) return std::string(serialized);  // not bytes of this alert: kept as they are
  const auto before = static_cast<std::size_t>(entry.data() - serialized.data());
  std::string stored;
  stored.reserve(serialized.size());
  stored.append(serialized.substr(0, before));
  stored.append(serialized.substr(before + entry.size()));
  wire::append_length_delimited(stored, v1::Alert::kTextLanguageFieldNumber, *language);
  return stored;
}

void restore_stored_alert(v1::Alert& alert) {
  if (alert.text_language().empty()) return;
  (*alert.mutable_texts())[alert.text_language()] = alert.text();
  alert.clear_text_language();
}

}  // namespace puente::store
