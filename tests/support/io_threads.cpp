#include "io_threads.hpp"

#include <cstdio>
#include <exception>

namespace puente::test {

IoThreads::IoThreads(unsigned count)
    : context_(static_cast<int>(count)), work_(context_.get_executor()) {
  for (unsigned i = 0; i < count; ++i) {
    threads_.emplace_back([this] {
      // A handler that throws is a test bug: report it and keep the pool running.
      for (;;) {
        try {
          context_.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "IoThreads: a handler threw: %s\n", e.what());
        }
      }
    });
  }
}

IoThreads::~IoThreads() { stop(); }

void IoThreads::stop() {
  work_.reset();
  context_.stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

}  // namespace puente::test
