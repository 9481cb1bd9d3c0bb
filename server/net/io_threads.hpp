#pragma once
// The node's I/O threads: one io_context per thread, each run by exactly that thread. A
// connection is given one of them when it is accepted and lives there until it closes, so all
// of a socket's handlers run on one thread, in order, without a strand, and the hub hands each
// alert to each thread once (hub.hpp) instead of once per socket. Thread 0, the main one, runs
// everything that is not a connection: the Redis links and their strands (so every report's and
// ack's processing after parsing), the services' timers, the acceptor, signals. With more than
// one thread, connections go round-robin to threads 1..N-1 only: sharing thread 0 with half the
// sockets, intake waited behind bursts of socket writes and a flood of 5,000 reports/s was
// accepted at half that rate (measured, docs/benchmarks.md).
//
// Why not one io_context run by N threads: then any handler may run on any thread, each socket
// needs a strand, and every delivery became a post from the thread that read the alert from Redis
// to the socket's strand, often waking the other thread: at 50,000 deliveries/s that hand-off
// was a fifth of the node's CPU.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace puente::net {

class IoThreads {
 public:
  explicit IoThreads(unsigned count);

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& main() { return *contexts_.front(); }
  boost::asio::io_context& at(std::size_t i) { return *contexts_.at(i); }
  // The thread for the next connection: thread 0 if it is the only one, else 1..N-1 in turn.
  // Thread-safe.
  boost::asio::any_io_executor next();

  // Runs thread 0 on the calling thread and the others on threads of their own; returns once
  // stop() was called and every thread has returned.
  void run();
  // Makes every thread return as soon as its current handler ends. Thread-safe.
  void stop();
  // After run() returned: runs, on the calling thread, what thread 0 still has ready (and what
  // that posts in turn), e.g. the stops a node's parts posted to their strands.
  void finish_main();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> work_;  // an idle thread (no sockets yet) keeps waiting for some
  std::atomic<std::size_t> next_{0};
};

}  // namespace puente::net
