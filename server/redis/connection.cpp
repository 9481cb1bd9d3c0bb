// The command connection's link and its replies (command_connection.hpp says how the FIFO, the
// deadline and -READONLY work; connection_redirects.cpp what a cluster's refusals do).

#include "redis/command_connection.hpp"

#include "redis/reply_from_hiredis.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <cstdlib>
#include <exception>
#include <utility>

namespace puente::redis {

CommandConnection::CommandConnection(boost::asio::any_io_executor executor,
                                     ConnectionOptions options)
    : strand_(boost::asio::make_strand(std::move(executor))),
      deadline_(strand_),
      retry_timer_(strand_),
      link_(strand_, std::move(options), "commands", *this) {}

CommandConnection::~CommandConnection() {
  // Nothing of ours can be running on the strand now: every handler holds or locks a
  // reference. The commands still in flight fail with `stopped`, posted to the strand.
  destroying_ = true;
  stopped_ = true;
  teardown_errc_ = Errc::stopped;
  ask_.reset();  // its commands in flight get `stopped` too
  link_.stop();
  for (Command& command : parked_) deliver(command.handler, Errc::stopped);
}

void CommandConnection::start() {
  boost::asio::post(strand_, [self = self()] { self->link_.start(self->weak_from_this()); });
}

void CommandConnection::stop() {
  boost::asio::post(strand_, [self = self()] { self->shut_down(); });
}

void CommandConnection::execute(std::vector<std::string> args, ReplyHandler handler) {
  boost::asio::post(
      strand_, [self = self(), args = std::move(args), handler = std::move(handler)]() mutable {
        self->send(std::make_shared<const std::vector<std::string>>(std::move(args)),
                   std::move(handler));
      });
}

void CommandConnection::execute_shared(std::shared_ptr<const std::vector<std::string>> args,
                                       ReplyHandler handler) {
  boost::asio::post(
      strand_, [self = self(), args = std::move(args), handler = std::move(handler)]() mutable {
        self->send(std::move(args), std::move(handler));
      });
}

void CommandConnection::on_link_change(std::function<void(bool up)> callback) {
  boost::asio::post(strand_, [self = self(), callback = std::move(callback)]() mutable {
    self->link_callback_ = std::move(callback);
  });
}

void CommandConnection::send(Args args, ReplyHandler handler) {
  const auto deadline = Clock::now() + link_.options().command_timeout;
  send(Command{std::move(handler), deadline, std::move(args), false, std::nullopt});
}

void CommandConnection::send(Command command) {
  if (stopped_) {
    deliver(command.handler, Errc::stopped);
    return;
  }
  redisAsyncContext* context = link_.context();
  if (context == nullptr && Clock::now() < relinking_until_) {
    park(std::move(command));  // retry_parked sends it once the new owner's link is up
    return;
  }
  if (context == nullptr) {
    deliver(command.handler, Errc::not_connected);
    return;
  }
  if (command.args->empty()) {
    deliver(command.handler, make_error_code(boost::system::errc::invalid_argument));
    return;
  }
  if (!send_args(context, *command.args, &CommandConnection::on_reply, this)) {
    deliver(command.handler, Errc::not_connected);
    return;
  }
  command.asked.reset();  // to the slot's owner: whatever -ASK said before was for one send
  in_flight_.push_back(std::move(command));
  arm_deadline();
}

void CommandConnection::on_reply(redisAsyncContext*, void* reply, void* privdata) {
  static_cast<CommandConnection*>(privdata)->complete_oldest(static_cast<const redisReply*>(reply));
}

void CommandConnection::complete_oldest(const redisReply* reply) {
  if (in_flight_.empty()) {
    spdlog::critical("redis: a reply arrived with no command in flight");
    std::abort();
  }
  Command command = std::move(in_flight_.front());
  in_flight_.pop_front();
  if (command.answered) {
    return;
  }
  if (reply == nullptr) {
    if (park_in_flight_) {
      // Re-linking after -MOVED: this command went to a node that does not serve the slot,
      // so it was refused there too; it runs on the new owner.
      park(std::move(command));
      return;
    }
    deliver(command.handler, teardown_errc_);  // the context is being freed
    return;
  }
  Reply copy = reply_from_hiredis(*reply);
  if (copy.is_error() && link_.clustered() && redirected(command, copy.str)) {
    return;
  }
  const bool demoted = copy.is_error() && copy.str.starts_with("READONLY");
  deliver(command.handler, {}, std::move(copy));
  if (demoted) {
    drop_demoted_link();
  }
}

void CommandConnection::drop_demoted_link() {
  // Inside a hiredis callback the context cannot be freed: drop it from the strand. The
  // generation keeps a late drop off a link that has come up since (another Redis, maybe).
  boost::asio::post(strand_, [this, guard = weak_from_this(), generation = link_generation_] {
    const auto owner = guard.lock();
    if (!owner || stopped_ || generation != link_generation_) {
      return;
    }
    teardown_errc_ = Errc::disconnected;
    link_.drop("Redis answered READONLY: it is a replica now");
  });
}

// Calls the handler inline on the strand, or posts it there during destruction.
void CommandConnection::deliver(ReplyHandler& handler, boost::system::error_code ec, Reply reply) {
  if (destroying_) {
    boost::asio::post(strand_, [handler = std::move(handler), ec,
                                reply = std::move(reply)]() mutable { call(handler, ec, reply); });
    return;
  }
  call(handler, ec, reply);
}

void CommandConnection::call(ReplyHandler& handler, boost::system::error_code ec, Reply& reply) {
  // Most calls come from inside a hiredis callback: an exception must not unwind C frames.
  try {
    handler(ec, std::move(reply));
  } catch (const std::exception& e) {
    spdlog::error("redis reply handler threw: {}", e.what());
  } catch (...) {
    spdlog::error("redis reply handler threw");
  }
}

void CommandConnection::arm_deadline() {
  if (deadline_armed_ || in_flight_.empty()) {
    return;
  }
  deadline_armed_ = true;
  const std::uint64_t generation = ++deadline_generation_;
  deadline_.expires_at(in_flight_.front().deadline);
  deadline_.async_wait(
      [this, guard = weak_from_this(), generation](const boost::system::error_code& ec) {
        if (ec == boost::asio::error::operation_aborted) {
          return;
        }
        const auto owner = guard.lock();
        if (!owner || generation != deadline_generation_) {
          return;  // destroyed, or disarmed after the timer had already fired
        }
        on_deadline();
      });
}

void CommandConnection::disarm_deadline() {
  deadline_armed_ = false;
  ++deadline_generation_;
  deadline_.cancel();
}

void CommandConnection::on_deadline() {
  deadline_armed_ = false;
  if (in_flight_.empty()) {
    return;
  }
  Command& oldest = in_flight_.front();
  if (oldest.deadline > Clock::now()) {
    arm_deadline();  // the command it was set for has been answered since
    return;
  }
  // Replies come in order, so a missing one would shift every later reply onto the wrong
  // command; and Redis is not answering anyway. Fail it, then drop the link.
  oldest.answered = true;
  ReplyHandler handler = std::move(oldest.handler);
  deliver(handler, Errc::timeout);
  teardown_errc_ = Errc::disconnected;
  link_.drop("a command got no reply within " +
             std::to_string(link_.options().command_timeout.count()) + " ms");
}

void CommandConnection::shut_down() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  teardown_errc_ = Errc::stopped;
  disarm_deadline();
  ask_.reset();  // its commands in flight get `stopped`
  link_.stop();
  retry_timer_.cancel();
  retry_parked();  // each fails with `stopped`
}

void CommandConnection::on_link_up(redisAsyncContext*) {
  ++link_generation_;
  relinking_until_ = {};
  notify_link(true);
}

void CommandConnection::on_link_down() {
  if (!in_flight_.empty()) {
    spdlog::critical("redis: link down with {} commands never answered", in_flight_.size());
    std::abort();
  }
  park_in_flight_ = false;
  disarm_deadline();
  notify_link(false);
}

void CommandConnection::notify_link(bool up) {
  if (destroying_ || !link_callback_) {
    return;
  }
  boost::asio::post(strand_, [callback = link_callback_, up] { callback(up); });
}

std::shared_ptr<Connection> Connection::create(boost::asio::any_io_executor executor,
                                               ConnectionOptions options) {
  return std::make_shared<CommandConnection>(std::move(executor), std::move(options));
}

}  // namespace puente::redis
