#pragma once
// Phones that go quiet (docs/push.md): iOS stops delivering to a home-screen app left unopened
// for about three days, so a phone not heard from (subscribed, showed a notification, acked from
// one) for [push] stale_after_hours is nudged to open the app, once per quiet spell, and marked
// stale in answers; one quiet past drop_after_days is sent a notice and dropped. Pure.

#include "puente/v1/puente.pb.h"

#include <chrono>

namespace puente::core {

struct QuietRules {
  std::chrono::seconds stale_after{2 * 24 * 3600};
  std::chrono::seconds drop_after{21 * 24 * 3600};
};

enum class QuietPhone { heard_from, nudge, stale, drop };

// The last time the phone was heard from: its last contact, else when it subscribed.
std::chrono::system_clock::time_point last_heard(const v1::PushSubscription& phone);
// What to do with `phone` at `now`: nothing (heard from lately), nudge it (quiet, and not nudged
// since it went quiet), nothing but mark it stale (nudged already), or drop it.
QuietPhone quiet_phone(const v1::PushSubscription& phone, std::chrono::system_clock::time_point now,
                       const QuietRules& rules);
bool is_stale(const v1::PushSubscription& phone, std::chrono::system_clock::time_point now,
              const QuietRules& rules);

}  // namespace puente::core
