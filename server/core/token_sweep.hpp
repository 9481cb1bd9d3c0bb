#pragma once
// When the node must check every signed-in socket's token again (app/access/token_service.hpp).
//
// A token stops being usable only when the registry changes (a reload, an update, a revocation:
// its generation grows) or when one of its expiry times passes. Between those, a sweep would
// find what the last one found: at 10,000 sockets it cost ~8.6M instructions a second for
// nothing. So a whole sweep is due only when the generation differs from the one last swept, or
// the first expiry after the last sweep has come; otherwise the once-a-second tick is O(1).

#include <chrono>
#include <cstdint>
#include <optional>

namespace puente::core {

class TokenSweepSchedule {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // Is a whole sweep due at `now`, the registry being at `generation`? Always before the first.
  bool due(std::uint64_t generation, TimePoint now) const {
    return !swept_ || generation != generation_ || (next_expiry_ && now >= *next_expiry_);
  }
  // A whole sweep checked every socket against the registry at `generation`; `next_expiry` is the
  // registry's first expiry after the moment it checked them (nullopt: none).
  void swept(std::uint64_t generation, std::optional<TimePoint> next_expiry) {
    swept_ = true;
    generation_ = generation;
    next_expiry_ = next_expiry;
  }

 private:
  bool swept_ = false;
  std::uint64_t generation_ = 0;
  std::optional<TimePoint> next_expiry_;
};

}  // namespace puente::core
