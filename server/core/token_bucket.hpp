#pragma once
// A token bucket: it holds up to `burst` tokens and gains `per_second` a second; each request
// takes one. A full bucket lets a burst through at once; a steady flood gets the rate and no
// more. Plain data, no clock of its own: the caller says what time it is.

#include <chrono>
#include <optional>

namespace puente::core {

struct RateLimit {
  double per_second = 0;  // 0: no limit
  double burst = 1;

  bool limits() const { return per_second > 0; }
};

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // Takes a token if there is one; otherwise how long until there will be one.
  std::optional<std::chrono::milliseconds> take(const RateLimit& limit, TimePoint now);
  // Full again by `now`: nothing is lost by forgetting it.
  bool full(const RateLimit& limit, TimePoint now) const;

 private:
  double level(const RateLimit& limit, TimePoint now) const;

  double tokens_ = -1;  // below 0: never used, full
  TimePoint last_{};
};

}  // namespace puente::core
