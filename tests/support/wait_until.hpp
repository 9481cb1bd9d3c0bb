#pragma once
// Waits for a condition instead of sleeping a guessed time: tests stay deterministic on a
// loaded machine, and fast on an idle one.
//
//   ASSERT_TRUE(puente::test::wait_until([&] { return connection->connected(); }));

#include <chrono>
#include <thread>

namespace puente::test {

// Generous on purpose: a deadline is there to end a stuck test, not to measure speed.
inline constexpr std::chrono::milliseconds default_wait{10'000};

// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false).
template <typename Condition>
bool wait_until(Condition&& condition, std::chrono::milliseconds timeout = default_wait) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace puente::test
