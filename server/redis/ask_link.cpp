// The side link of a slot migration (ask_link.hpp).

#include "redis/ask_link.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <cstdlib>
#include <utility>

namespace puente::redis {
namespace {

// How long a side link unused is kept: a slot's migration sends -ASK for a moment (tens of ms
// for a network's few hundred keys) and is followed by -MOVED, which ends it earlier.
constexpr std::chrono::seconds idle_after{10};

// Where -ASK points, as the slot's link logs in there; no discovery: not the slot's owner yet.
ConnectionOptions side_options(const ConnectionOptions& slot_options, const Endpoint& to) {
  ConnectionOptions options = slot_options;
  options.endpoint = to;
  options.cluster.clear();
  options.sentinels.clear();
  return options;
}

}  // namespace

AskLink::AskLink(Strand strand, const ConnectionOptions& options, Endpoint to, Owner& owner,
                 std::weak_ptr<void> owner_guard)
    : strand_(std::move(strand)),
      to_(std::move(to)),
      owner_(owner),
      owner_guard_(std::move(owner_guard)),
      deadline_(strand_),
      idle_timer_(strand_),
      link_(strand_, side_options(options, to_), "ask", *this) {}

std::shared_ptr<AskLink> AskLink::start(Strand strand, const ConnectionOptions& options,
                                        Endpoint to, Owner& owner,
                                        std::weak_ptr<void> owner_guard) {
  std::shared_ptr<AskLink> link(
      new AskLink(std::move(strand), options, std::move(to), owner, std::move(owner_guard)));
  link->link_.start(link->weak_from_this());
  link->arm_idle();
  return link;
}

AskLink::~AskLink() {
  // Our guard has expired: no handler of ours runs any more. Commands in flight get `stopped`.
  destroying_ = true;
  link_.stop();
}

bool AskLink::send(Command& command) {
  redisAsyncContext* context = link_.context();
  if (context == nullptr) {
    return false;
  }
  static const std::vector<std::string> asking{"ASKING"};
  // Its reply (+OK) is dropped: a NULL callback. Both go out in one write, in this order.
  if (!send_args(context, asking, nullptr, nullptr) ||
      !send_args(context, *command.args, &AskLink::on_reply, this)) {
    return false;
  }
  in_flight_.push_back(std::move(command));
  arm_deadline();
  arm_idle();
  return true;
}

void AskLink::retire() {
  retiring_ = true;
  tell_done_if_idle();
}

void AskLink::on_link_up(redisAsyncContext*) {
  if (const auto owner = owner_guard_.lock()) {
    owner_.on_ask_link_up();
  }
}

void AskLink::on_link_down() {
  if (!in_flight_.empty()) {
    spdlog::critical("redis: ask link down with {} commands never answered", in_flight_.size());
    std::abort();
  }
}

void AskLink::on_reply(redisAsyncContext*, void* reply, void* privdata) {
  static_cast<AskLink*>(privdata)->complete_oldest(static_cast<const redisReply*>(reply));
}

void AskLink::complete_oldest(const redisReply* reply) {
  if (in_flight_.empty()) {
    spdlog::critical("redis: a reply arrived on the ask link with no command in flight");
    std::abort();
  }
  Command command = std::move(in_flight_.front());
  in_flight_.pop_front();
  const auto owner = owner_guard_.lock();
  if (destroying_ || !owner) {
    boost::asio::post(strand_, [handler = std::move(command.handler)]() mutable {
      handler(make_error_code(Errc::stopped), {});
    });
    return;
  }
  owner_.on_asked_reply(std::move(command), reply);
  tell_done_if_idle();
}

void AskLink::tell_done_if_idle() {
  if (!retiring_ || !in_flight_.empty() || destroying_) {
    return;
  }
  if (const auto owner = owner_guard_.lock()) {
    owner_.on_ask_link_done();
  }
}

void AskLink::arm_deadline() {
  if (deadline_armed_ || in_flight_.empty()) {
    return;
  }
  deadline_armed_ = true;
  deadline_.expires_at(in_flight_.front().deadline);
  deadline_.async_wait([guard = weak_from_this()](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (const auto self = guard.lock()) {
      self->on_deadline();
    }
  });
}

void AskLink::on_deadline() {
  deadline_armed_ = false;
  if (in_flight_.empty()) {
    return;
  }
  if (in_flight_.front().deadline > Clock::now()) {
    arm_deadline();  // the command it was set for has been answered since
    return;
  }
  // As on the slot's link: a missing reply would shift every later one onto the wrong command.
  // Every command in flight comes back with no reply; the oldest is past its deadline.
  link_.drop("a command sent with ASKING got no reply within " +
             std::to_string(link_.options().command_timeout.count()) + " ms");
}

void AskLink::arm_idle() {
  // expires_after cancels the wait before: the link goes `idle_after` past its last command.
  idle_timer_.expires_after(idle_after);
  idle_timer_.async_wait([guard = weak_from_this()](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (const auto self = guard.lock()) {
      self->retiring_ = true;
      self->tell_done_if_idle();
    }
  });
}

}  // namespace puente::redis
