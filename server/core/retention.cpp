#include "core/retention.hpp"

#include "core/clock.hpp"

#include <algorithm>

namespace puente::core {

std::chrono::system_clock::time_point purge_cutoff(std::chrono::system_clock::time_point now,
                                                   std::chrono::seconds retention) {
  return now - retention;
}

std::string stream_min_id(std::chrono::system_clock::time_point cutoff) {
  return std::to_string(std::max<std::int64_t>(to_ms(cutoff), 0)) + "-0";
}

std::chrono::seconds idempotency_ttl(std::chrono::seconds retention) {
  return std::min<std::chrono::seconds>(std::chrono::hours(24), retention);
}

std::chrono::seconds history_age_limit(std::chrono::seconds history_max_age,
                                       std::chrono::seconds retention) {
  return std::min(history_max_age, retention);
}

bool strip_caller_contact(v1::Report& report) {
  bool had = !report.caller_hash().empty() || !report.caller_phone().empty();
  report.clear_caller_hash();
  report.clear_caller_phone();
  return had;
}

}  // namespace puente::core
