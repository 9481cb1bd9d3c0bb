// An alert to and from the bytes Redis keeps: stored_alert.hpp says what is left out and why.
#include "store/stored_alert.hpp"

namespace puente::store {

std::string stored_alert(const v1::Alert& alert) {
  const auto& texts = alert.texts();
  auto same = texts.end();
  for (auto it = texts.begin(); it != texts.end(); ++it)
    // The smallest such tag: the same alert always stores the same bytes.
    if (it->second == alert.text() && (same == texts.end() || it->first < same->first)) same = it;
  if (alert.text().empty() || same == texts.end()) return alert.SerializeAsString();
  v1::Alert stored = alert;
  stored.set_text_language(same->first);
  stored.mutable_texts()->erase(same->first);
  return stored.SerializeAsString();
}

void restore_stored_alert(v1::Alert& alert) {
  if (alert.text_language().empty()) return;
  (*alert.mutable_texts())[alert.text_language()] = alert.text();
  alert.clear_text_language();
}

}  // namespace puente::store
