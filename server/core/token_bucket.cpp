#include "core/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace puente::core {

double TokenBucket::level(const RateLimit& limit, TimePoint now) const {
  if (tokens_ < 0) return limit.burst;
  double elapsed = std::chrono::duration<double>(now - last_).count();
  return std::min(limit.burst, tokens_ + std::max(0.0, elapsed) * limit.per_second);
}

std::optional<std::chrono::milliseconds> TokenBucket::take(const RateLimit& limit, TimePoint now) {
  if (!limit.limits()) return std::nullopt;
  double tokens = level(limit, now);
  last_ = now;
  if (tokens >= 1) {
    tokens_ = tokens - 1;
    return std::nullopt;
  }
  tokens_ = tokens;
  double wait = (1 - tokens) / limit.per_second;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(wait * 1000)));
}

bool TokenBucket::full(const RateLimit& limit, TimePoint now) const {
  return level(limit, now) >= limit.burst;
}

}  // namespace puente::core
