#include "app/access/rate_limiter.hpp"

#include <algorithm>

namespace puente::app {

namespace {

long long whole_seconds(std::chrono::milliseconds wait) {
  return std::max<long long>(1, (wait.count() + 999) / 1000);
}

}  // namespace

Refusal rate_limited(std::chrono::milliseconds retry_after) {
  const auto seconds = whole_seconds(retry_after);
  return Refusal(RefusalKind::rate_limited,
                 "too many requests; retry in " + std::to_string(seconds) + " s")
      .retry_after(seconds);
}

net::Response rate_limited_response(std::chrono::milliseconds retry_after) {
  auto refusal = rate_limited(retry_after);
  auto response =
      net::error_response(net::http::status::too_many_requests, refusal.code(), refusal.message());
  response.set(net::http::field::retry_after, std::to_string(*refusal.retry_after_seconds()));
  return response;
}

RateLimiter::RateLimiter() : table_(std::make_shared<Table>()) {}

RateLimiter RateLimiter::for_network(const std::string& network_id) const {
  RateLimiter view = *this;
  view.network_ = network_id;
  return view;
}

std::optional<std::chrono::milliseconds> RateLimiter::take(std::string_view bucket,
                                                           std::string_view key,
                                                           const core::RateLimit& limit) {
  if (!limit.limits()) return std::nullopt;
  auto now = Clock::now();
  std::string name;
  name.reserve(bucket.size() + 1 + key.size());
  name.append(bucket).append(" ").append(key);
  auto& table = *table_;
  std::lock_guard lock(table.mutex);
  auto& entry = table.buckets[std::move(name)];
  entry.limit = limit;
  auto wait = entry.bucket.take(limit, now);
  if (table.buckets.size() >= table.sweep_at) sweep(table, now);
  return wait;
}

std::optional<std::chrono::milliseconds> RateLimiter::take_request(std::string_view route,
                                                                   std::string_view token_id,
                                                                   const RateLimits& limits) {
  // The token's network's: another network's token of the same id is someone else.
  std::string key = network_.empty() ? std::string() : network_ + " ";
  key.append(token_id);
  // A report is the costly request, and a flood of them moves crowds: its own, slower bucket.
  auto wait = route == "POST /v1/reports" ? take("reports", key, limits.reports_per_token)
                                          : take("requests", key, limits.requests_per_token);
  if (auto own = limits.per_route.find(route); !wait && own != limits.per_route.end())
    wait = take(own->first, key, own->second);
  return wait;
}

void RateLimiter::sweep(Table& table, Clock::time_point now) {
  std::erase_if(table.buckets, [now](const auto& item) {
    return item.second.bucket.full(item.second.limit, now);
  });
  // Busy clients stay; the next sweep waits until the table has grown as much again.
  table.sweep_at = std::max(sweep_above, table.buckets.size() * 2);
}

}  // namespace puente::app
