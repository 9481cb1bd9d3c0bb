#include "net/io_threads.hpp"

#include <cassert>
#include <thread>

namespace puente::net {

IoThreads::IoThreads(unsigned count) {
  assert(count > 0 && "a node needs at least one I/O thread");
  for (unsigned i = 0; i < count; ++i) {
    // Concurrency hint 1: each context is run by one thread, so Asio may skip its locking.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    work_.push_back(boost::asio::make_work_guard(*contexts_.back()));
  }
}

boost::asio::any_io_executor IoThreads::next() {
  if (contexts_.size() == 1) return contexts_.front()->get_executor();
  // Connections go to threads 1..N-1: thread 0 runs the Redis links, and with them every
  // report's and ack's processing, which must not wait behind a burst of socket writes.
  auto i = 1 + next_.fetch_add(1, std::memory_order_relaxed) % (contexts_.size() - 1);
  return contexts_[i]->get_executor();
}

void IoThreads::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i)
    threads.emplace_back([this, i] { contexts_[i]->run(); });
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

void IoThreads::finish_main() {
  // Bounded: a handler that posted itself again and again must not keep a stopping node up.
  constexpr int most_handlers = 100'000;
  auto& main = *contexts_.front();
  main.restart();
  for (int i = 0; i < most_handlers && main.poll_one() > 0; ++i) {
  }
}

void IoThreads::stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace puente::net
