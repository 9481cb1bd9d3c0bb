#pragma once
// Drives one hiredis async context from Asio (private to the Redis layer).
//
// hiredis asks for read/write interest through the context's ev hooks; the adapter answers
// with async_wait on a posix::stream_descriptor wrapping the context's socket, and calls
// redisAsyncHandleRead/Write when the socket is ready. The descriptor lives on the owner's
// strand, so every hiredis call it makes happens there.
//
// Lifetimes: hiredis calls ev.cleanup just before it frees the context (and, in 0.14, may call
// it twice). cleanup marks the adapter closed and release()s the descriptor (hiredis closes
// the fd itself), which aborts pending waits. The adapter is shared: pending waits hold it, so a
// wait completing after cleanup finds it alive, sees `closed_` and touches nothing else.
// Each completion also locks the owner's `guard`: while hiredis runs callbacks into the owner,
// the owner cannot be destroyed, and once it is gone nothing is called at all.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/error_code.hpp>

#include <memory>

struct redisAsyncContext;

namespace puente::redis {

class AsioAdapter : public std::enable_shared_from_this<AsioAdapter> {
 public:
  // Installs the ev hooks on `context`; call before redisAsyncSetConnectCallback (which asks
  // for write interest at once). `strand` runs every completion. Returns nullptr if the
  // socket cannot be registered with the reactor; the context is then left untouched.
  static std::shared_ptr<AsioAdapter> attach(redisAsyncContext* context,
                                             boost::asio::any_io_executor strand,
                                             std::weak_ptr<void> guard);

  AsioAdapter(const AsioAdapter&) = delete;
  AsioAdapter& operator=(const AsioAdapter&) = delete;

 private:
  AsioAdapter(redisAsyncContext* context, boost::asio::any_io_executor strand,
              std::weak_ptr<void> guard);

  // The ev hooks; `privdata` is the adapter.
  static void add_read(void* privdata);
  static void del_read(void* privdata);
  static void add_write(void* privdata);
  static void del_write(void* privdata);
  static void cleanup(void* privdata);

  void arm_read();
  void arm_write();
  void on_readable(const boost::system::error_code& ec);
  void on_writable(const boost::system::error_code& ec);

  redisAsyncContext* context_;
  boost::asio::posix::stream_descriptor descriptor_;
  std::weak_ptr<void> guard_;
  bool want_read_ = false;   // hiredis asked for read interest (lasts until delRead)
  bool want_write_ = false;  // hiredis has output to flush, or is connecting
  bool read_waiting_ = false;
  bool write_waiting_ = false;
  bool closed_ = false;  // cleanup ran: the context is freed or being freed
};

}  // namespace puente::redis
