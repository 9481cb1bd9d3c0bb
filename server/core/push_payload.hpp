#pragma once
// The plaintext of a Web Push, as the observer page's service worker reads it (docs/push.md,
// "the payload"): one JSON object, at most push::max_payload_bytes (3,993) long, `body` cut at
// a character boundary to fit.
//
//   {"v": 1, "kind": "alert" | "nudge" | "test" | "dropped", "title", "body", "lang", "tag",
//    "urgent", "url", and for an alert only: "alert": {"id", "incidentId", "type",
//    "neighborhood", "sentAtMs"}, "capability", "actions": [{"action", "title"}]}
//
// Pure: the caller renders the texts and mints the capability.

#include "puente/v1/puente.pb.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace puente::core {

struct PushPayload {
  std::string kind = "alert";
  std::string title, body, lang;
  // An alert's; for the others empty.
  const v1::Alert* alert = nullptr;
  std::string capability;
  std::vector<std::pair<std::string, std::string>> actions;  // action (ack state), title
};

// Alert types that need someone now: the push wakes the phone (Urgency: high) and the
// notification stays until answered.
bool urgent(v1::AlertType type);
// Ack states a notification of `type` offers as buttons: EN_ROUTE and DECLINED for alerts that
// ask someone to go; none for DEBUNK and STAND_DOWN.
std::vector<v1::AckState> notification_actions(v1::AlertType type);

// The JSON text, at most `most_bytes` long (the body shortened to fit, never split inside a
// UTF-8 character).
std::string push_payload_json(const PushPayload& payload, std::size_t most_bytes = 3993);

}  // namespace puente::core
