#include "core/push_subscription.hpp"

#include "core/bearer_token.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

#include <algorithm>

namespace puente::core {

// 64 bits: a network's phones number in the thousands; two endpoints sharing an id is out of
// reach, and the id looks like every other id of the server.
std::string push_subscription_id(std::string_view endpoint) {
  return "psub-" + sha256_hex(endpoint).substr(0, kIdDigits);
}

std::chrono::system_clock::time_point last_heard_from(const v1::PushSubscription& phone) {
  auto heard = to_time_point(phone.created_at());
  if (phone.has_last_contact_at()) heard = std::max(heard, to_time_point(phone.last_contact_at()));
  return heard;
}

bool push_phone_stale(const v1::PushSubscription& phone, std::chrono::system_clock::time_point now,
                      std::chrono::seconds stale_after) {
  return now - last_heard_from(phone) >= stale_after;
}

std::optional<std::chrono::system_clock::time_point> phones_quiet_since(
    const std::vector<v1::PushSubscription>& phones, std::chrono::system_clock::time_point now,
    std::chrono::seconds stale_after) {
  std::optional<std::chrono::system_clock::time_point> since;
  for (const auto& phone : phones) {
    if (!push_phone_stale(phone, now, stale_after)) return std::nullopt;
    since = since ? std::max(*since, last_heard_from(phone)) : last_heard_from(phone);
  }
  return since;
}

}  // namespace puente::core
