#pragma once
// The ack capability a push carries: lets whoever holds it ack one alert for one responder,
// until it expires, without the responder's bearer token (a service worker never holds one).
// It also names the phone it was pushed to, so what that phone reports (a notification shown,
// an ack) counts as the phone being heard from.
//
//   "ac1." base64url(alert id "\n" responder id "\n" subscription id "\n" expiry in Unix seconds)
//   "." base64url(HMAC-SHA256 under the network's ack key of everything before the second dot)
//
// Sent as `Authorization: Capability <capability>` on POST /v1/acks and POST /v1/push/shown;
// never in a URL, never logged. The key is shared by every node (store: {p}ack_key); a
// capability outlives neither its expiry nor the key.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

struct AckCapability {
  std::string alert_id;
  std::string responder_id;
  std::string subscription_id;  // the phone it was pushed to ("psub-...")
  std::chrono::system_clock::time_point expires_at;

  bool operator==(const AckCapability&) const = default;
};

class AckCapabilityKey {
 public:
  static constexpr std::size_t min_bytes = 32;

  // Throws std::invalid_argument for a key shorter than min_bytes.
  explicit AckCapabilityKey(std::string secret);

  // Expiry is kept to the second (rounded down).
  std::string mint(const AckCapability& capability) const;

  // The capability `text` grants, or nullopt if it is malformed, not signed with this key, or
  // expired at `now`. Comparison of the signature takes the same time wherever it differs.
  std::optional<AckCapability> verify(std::string_view text,
                                      std::chrono::system_clock::time_point now) const;

 private:
  std::string secret_;
};

}  // namespace puente::core
