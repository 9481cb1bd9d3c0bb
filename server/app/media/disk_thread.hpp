#pragma once
// The thread media bytes are written and read on (blob_store.hpp), away from the node's main
// thread. Every blob call blocks on the disk: a chunk is fsynced, renamed and its folder fsynced
// before it is answered, which takes milliseconds for 1 MiB on an SSD and tens of them on a
// network volume. The main thread also runs every Redis reply and hands the live feed its
// alerts: an observer's video must not hold up the next alert.
//
// Work runs in the order given, one piece at a time: one thread, since the disk serializes the
// writes anyway and two chunks of one upload must not race. Its result is handed back on the
// executor named at construction, where the caller's state lives.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <exception>
#include <optional>
#include <string>
#include <utility>

namespace puente::app {

// What a piece of disk work gave: its value, or the message of the exception it threw.
template <class T>
struct DiskResult {
  std::optional<T> value;
  std::string error;
};

class DiskThread {
 public:
  explicit DiskThread(boost::asio::any_io_executor home) : home_(std::move(home)) {}
  // Waits for every piece of work given so far: a chunk being written is written.
  ~DiskThread() { pool_.join(); }

  DiskThread(const DiskThread&) = delete;
  DiskThread& operator=(const DiskThread&) = delete;

  // Runs work() on the disk thread, then then(DiskResult<T>) on the home executor, T being what
  // work returns. Nothing of the caller's may be touched by work but what it captured.
  template <class Work, class Then>
  void run(Work work, Then then) {
    // `home` counts the piece as its outstanding work until the answer has run there.
    auto home = boost::asio::prefer(home_, boost::asio::execution::outstanding_work.tracked);
    boost::asio::post(
        pool_, [home = std::move(home), work = std::move(work), then = std::move(then)]() mutable {
          DiskResult<decltype(work())> result;
          try {
            result.value = work();
          } catch (const std::exception& e) {
            result.error = e.what();
          }
          boost::asio::post(home, [then = std::move(then), result = std::move(result)]() mutable {
            then(std::move(result));
          });
        });
  }

 private:
  boost::asio::any_io_executor home_;
  boost::asio::thread_pool pool_{1};
};

}  // namespace puente::app
