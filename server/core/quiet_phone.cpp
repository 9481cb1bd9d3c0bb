#include "core/quiet_phone.hpp"

#include "core/clock.hpp"

#include <algorithm>

namespace puente::core {

std::chrono::system_clock::time_point last_heard(const v1::PushSubscription& phone) {
  return std::max(to_time_point(phone.last_contact_at()), to_time_point(phone.created_at()));
}

QuietPhone quiet_phone(const v1::PushSubscription& phone, std::chrono::system_clock::time_point now,
                       const QuietRules& rules) {
  const auto heard = last_heard(phone);
  if (now - heard >= rules.drop_after) return QuietPhone::drop;
  if (now - heard < rules.stale_after) return QuietPhone::heard_from;
  // Once per quiet spell: a nudge after it went quiet counts.
  const bool nudged = phone.has_nudged_at() && to_time_point(phone.nudged_at()) >= heard;
  return nudged ? QuietPhone::stale : QuietPhone::nudge;
}

bool is_stale(const v1::PushSubscription& phone, std::chrono::system_clock::time_point now,
              const QuietRules& rules) {
  return quiet_phone(phone, now, rules) != QuietPhone::heard_from;
}

}  // namespace puente::core
