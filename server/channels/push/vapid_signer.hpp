#pragma once
// The VAPID Authorization header per push service origin, signed once and reused for hours:
// one signature serves every push to fcm.googleapis.com until it nears its expiry, so a burst
// of alerts costs one ECDSA signature per push service, not one per push.

#include "channels/push/vapid.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace puente::push {

class VapidSigner {
 public:
  // `subject`: "mailto:..." or "https://..." (throws std::invalid_argument otherwise).
  // `lifetime`: how far ahead each JWT expires; at most 24 h (RFC 8292), longer is cut to 24 h
  // (and shorter than a minute raised to one).
  // The default of 12 h leaves room for a push service whose clock runs ahead of ours.
  VapidSigner(VapidKey key, std::string subject,
              std::chrono::seconds lifetime = std::chrono::hours(12));

  // "vapid t=..., k=..." for pushes to `audience` (an endpoint's origin) at `now`: the cached
  // one while more than half of its lifetime is left, else a fresh one. Thread-safe. Throws
  // std::runtime_error if OpenSSL fails.
  std::string authorization(std::string_view audience, std::chrono::system_clock::time_point now);

  const VapidKey& key() const { return key_; }

 private:
  struct Signed {
    std::string authorization;
    std::chrono::system_clock::time_point renew_at;
  };

  const VapidKey key_;
  const std::string subject_;
  const std::chrono::seconds lifetime_;
  std::mutex mutex_;
  std::map<std::string, Signed, std::less<>> by_audience_;  // one per push service origin: a few
};

}  // namespace puente::push
