#include "redis/asio_adapter.hpp"

#include <hiredis/async.h>

#include <boost/asio/error.hpp>

#include <utility>

namespace puente::redis {

std::shared_ptr<AsioAdapter> AsioAdapter::attach(redisAsyncContext* context,
                                                 boost::asio::any_io_executor strand,
                                                 std::weak_ptr<void> guard) {
  std::shared_ptr<AsioAdapter> adapter(
      new AsioAdapter(context, std::move(strand), std::move(guard)));
  boost::system::error_code ec;
  adapter->descriptor_.assign(context->c.fd, ec);
  if (ec) {
    return nullptr;  // the context stays without hooks; the caller frees it
  }
  context->ev.data = adapter.get();
  context->ev.addRead = &AsioAdapter::add_read;
  context->ev.delRead = &AsioAdapter::del_read;
  context->ev.addWrite = &AsioAdapter::add_write;
  context->ev.delWrite = &AsioAdapter::del_write;
  context->ev.cleanup = &AsioAdapter::cleanup;
  return adapter;
}

AsioAdapter::AsioAdapter(redisAsyncContext* context, boost::asio::any_io_executor strand,
                         std::weak_ptr<void> guard)
    : context_(context), descriptor_(std::move(strand)), guard_(std::move(guard)) {}

void AsioAdapter::add_read(void* privdata) {
  auto* self = static_cast<AsioAdapter*>(privdata);
  self->want_read_ = true;
  self->arm_read();
}

void AsioAdapter::del_read(void* privdata) {
  // A wait already in flight stays; its completion sees want_read_ == false and does nothing.
  static_cast<AsioAdapter*>(privdata)->want_read_ = false;
}

void AsioAdapter::add_write(void* privdata) {
  auto* self = static_cast<AsioAdapter*>(privdata);
  self->want_write_ = true;
  self->arm_write();
}

void AsioAdapter::del_write(void* privdata) {
  static_cast<AsioAdapter*>(privdata)->want_write_ = false;
}

void AsioAdapter::cleanup(void* privdata) {
  auto* self = static_cast<AsioAdapter*>(privdata);
  if (self->closed_) {
    return;  // hiredis 0.14 calls cleanup once on disconnect and again on free
  }
  self->closed_ = true;
  self->want_read_ = false;
  self->want_write_ = false;
  self->context_ = nullptr;
  // release(), not close(): hiredis closes the fd itself, and closing it twice could close a
  // socket that reused the number meanwhile. release() also aborts the pending waits.
  self->descriptor_.release();
}

void AsioAdapter::arm_read() {
  if (closed_ || !want_read_ || read_waiting_) {
    return;
  }
  read_waiting_ = true;
  descriptor_.async_wait(
      boost::asio::posix::descriptor_base::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void AsioAdapter::arm_write() {
  if (closed_ || !want_write_ || write_waiting_) {
    return;
  }
  write_waiting_ = true;
  descriptor_.async_wait(
      boost::asio::posix::descriptor_base::wait_write,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_writable(ec); });
}

void AsioAdapter::on_readable(const boost::system::error_code& ec) {
  // Aborted means cleanup released the descriptor: the context may be gone, touch nothing.
  // Any other wait error is left to hiredis: its read fails and it drops the link.
  if (ec == boost::asio::error::operation_aborted) {
    return;
  }
  // Keep the owner alive while hiredis runs callbacks into it; if it is gone, so is the context.
  const auto owner = guard_.lock();
  if (!owner) {
    return;
  }
  read_waiting_ = false;
  if (closed_ || !want_read_) {
    return;
  }
  redisAsyncHandleRead(context_);
  // The context may have been freed inside that call (then closed_ is set and this is a no-op).
  arm_read();
}

void AsioAdapter::on_writable(const boost::system::error_code& ec) {
  if (ec == boost::asio::error::operation_aborted) {
    return;
  }
  const auto owner = guard_.lock();
  if (!owner) {
    return;
  }
  write_waiting_ = false;
  if (closed_ || !want_write_) {
    return;
  }
  // Also completes a non-blocking connect: hiredis checks SO_ERROR on the first write event.
  redisAsyncHandleWrite(context_);
  arm_write();
}

}  // namespace puente::redis
