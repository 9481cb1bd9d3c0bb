#pragma once
// An io_context run by N threads for the length of a test, like a puented node's pool.
//
//   puente::test::IoThreads io(4);
//   auto connection = puente::redis::Connection::create(io.executor(), options);
//
// Destroy (or stop) the I/O objects that use it first, and wait for their handlers if the
// test checks them: the destructor stops the context and joins, abandoning queued handlers.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>
#include <vector>

namespace puente::test {

class IoThreads {
 public:
  explicit IoThreads(unsigned count = 1);
  ~IoThreads();

  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  boost::asio::io_context& context() { return context_; }
  boost::asio::any_io_executor executor() { return context_.get_executor(); }

  // Stops the context and joins the threads; called by the destructor. Idempotent.
  void stop();

 private:
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace puente::test
