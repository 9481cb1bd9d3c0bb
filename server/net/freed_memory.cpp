// Gives freed memory back to the system, at most once a second (freed_memory.hpp).
#include "net/freed_memory.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// jemalloc's control call. Weak: puented links jemalloc only outside the sanitizer and fuzz
// builds, and the test programs never do; without it the symbol is null.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp,
                       std::size_t newlen) __attribute__((weak));

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer's allocator (sanitizer/allocator_interface.h, which GCC does not install).
extern "C" void __sanitizer_purge_allocator();
#endif

namespace puente::net {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds at_most_every{1};
std::atomic<Clock::rep> last_purge{0};  // when the last purge ran, in Clock ticks; 0: never
std::atomic<bool> purge_coming{false};  // one is posted or waiting for its second

void purge() {
  last_purge = Clock::now().time_since_epoch().count();
  purge_coming = false;
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_purge_allocator();
#else
  if (mallctl) {
    // "arena.4096.purge": every arena (MALLCTL_ARENAS_ALL) gives its unused dirty pages back.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
    return;
  }
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
#endif
}

}  // namespace

void return_freed_memory(const boost::asio::any_io_executor& executor) {
  if (purge_coming.exchange(true)) return;  // that one comes after this call: it covers it
  const auto since_last = Clock::now() - Clock::time_point(Clock::duration(last_purge.load()));
  if (last_purge.load() == 0 || since_last >= at_most_every)
    return boost::asio::post(executor, purge);
  auto timer = std::make_shared<boost::asio::steady_timer>(executor, at_most_every - since_last);
  timer->async_wait([timer](boost::system::error_code ec) {
    if (ec) {
      purge_coming = false;
      return;
    }
    purge();
  });
}

}  // namespace puente::net
