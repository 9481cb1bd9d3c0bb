// The command connection: one Link, and the commands in flight on it.
//
// Redis answers in the order commands were sent, and hiredis calls the reply callbacks in that
// order, so the commands in flight are a FIFO (in_flight_) and each callback completes the
// front. One timer watches the oldest command's deadline only: the others were sent later and
// expire later. When it passes, that command fails with `timeout` and the link is freed, which
// runs every other callback with a NULL reply (-> `disconnected`, or `stopped` after stop()).
//
// A -READONLY error reply means the Redis we write to has become a replica (a failover
// demoted it, and Sentinel has not closed our connection yet, or never will if it is
// partitioned from us): the command fails with that reply, and the link is dropped so that the
// reconnect asks the sentinels (or resolves the host name) again and finds the new primary.
//
// On a Redis Cluster (the link bound to one slot, link.hpp) a command whose reply is a redirect
// or a cluster error (cluster_reply.hpp) is not answered: it waits in parked_ and is sent again
// every retry_pause until it gets a real answer or its deadline passes (-> `timeout`). -MOVED
// also re-links to the node it names; -CLUSTERDOWN drops the link so the topology is read again;
// -ASK and -TRYAGAIN (the slot is being migrated) only wait: once the migration ends, the old
// owner answers -MOVED. A command is never sent twice at once: it is either in flight or parked.
// Commands still in flight when the link is dropped for -MOVED are parked too: they went to a
// node that no longer serves the slot, which refuses them all.

#include "redis/connection.hpp"

#include "redis/cluster_reply.hpp"
#include "redis/link.hpp"
#include "redis/reply_from_hiredis.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <cstdlib>
#include <deque>
#include <exception>
#include <utility>

namespace puente::redis {
namespace {

using Clock = std::chrono::steady_clock;
using Args = std::shared_ptr<const std::vector<std::string>>;

// How long a command refused by a cluster (a redirect, a migration) waits before it is sent
// again: a slot migration of a network's few hundred keys takes tens of ms, a failover seconds.
constexpr std::chrono::milliseconds retry_pause{25};

class CommandConnection final : public Connection, private Link::Owner {
 public:
  CommandConnection(boost::asio::any_io_executor executor, ConnectionOptions options)
      : strand_(boost::asio::make_strand(std::move(executor))),
        deadline_(strand_),
        retry_timer_(strand_),
        link_(strand_, std::move(options), "commands", *this) {}

  ~CommandConnection() override {
    // Nothing of ours can be running on the strand now: every handler holds or locks a
    // reference. The commands still in flight fail with `stopped`, posted to the strand.
    destroying_ = true;
    stopped_ = true;
    teardown_errc_ = Errc::stopped;
    link_.stop();
    for (Command& command : parked_) deliver(command.handler, Errc::stopped);
  }

  void start() override {
    boost::asio::post(strand_, [self = self()] { self->link_.start(self->weak_from_this()); });
  }

  void stop() override {
    boost::asio::post(strand_, [self = self()] { self->shut_down(); });
  }

  bool connected() const override { return link_.up(); }
  std::uint64_t reconnects() const override { return link_.reconnects(); }

  void execute(std::vector<std::string> args, ReplyHandler handler) override {
    boost::asio::post(
        strand_, [self = self(), args = std::move(args), handler = std::move(handler)]() mutable {
          self->send(std::make_shared<const std::vector<std::string>>(std::move(args)),
                     std::move(handler));
        });
  }

  void execute_shared(std::shared_ptr<const std::vector<std::string>> args,
                      ReplyHandler handler) override {
    boost::asio::post(
        strand_, [self = self(), args = std::move(args), handler = std::move(handler)]() mutable {
          self->send(std::move(args), std::move(handler));
        });
  }

  void on_link_change(std::function<void(bool up)> callback) override {
    boost::asio::post(strand_, [self = self(), callback = std::move(callback)]() mutable {
      self->link_callback_ = std::move(callback);
    });
  }

 private:
  struct Command {
    ReplyHandler handler;
    Clock::time_point deadline;
    Args args;              // kept to send it again if a cluster redirects it
    bool answered = false;  // already failed with `timeout`; its NULL reply is ignored
  };

  std::shared_ptr<CommandConnection> self() {
    return std::static_pointer_cast<CommandConnection>(shared_from_this());
  }

  void send(Args args, ReplyHandler handler) {
    const auto deadline = Clock::now() + link_.options().command_timeout;
    send(Command{std::move(handler), deadline, std::move(args)});
  }

  void send(Command command) {
    if (stopped_) {
      deliver(command.handler, Errc::stopped);
      return;
    }
    redisAsyncContext* context = link_.context();
    if (context == nullptr) {
      deliver(command.handler, Errc::not_connected);
      return;
    }
    const std::vector<std::string>& args = *command.args;
    if (args.empty()) {
      deliver(command.handler, make_error_code(boost::system::errc::invalid_argument));
      return;
    }
    // Explicit lengths: keys and values are binary and may hold NULs or CRLF.
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const auto& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAsyncCommandArgv(context, &CommandConnection::on_reply, this,
                              static_cast<int>(argv.size()), argv.data(),
                              lengths.data()) != REDIS_OK) {
      deliver(command.handler, Errc::not_connected);
      return;
    }
    in_flight_.push_back(std::move(command));
    arm_deadline();
  }

  static void on_reply(redisAsyncContext*, void* reply, void* privdata) {
    static_cast<CommandConnection*>(privdata)->complete_oldest(
        static_cast<const redisReply*>(reply));
  }

  void complete_oldest(const redisReply* reply) {
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
        parked_.push_back(std::move(command));
        arm_retry();
        return;
      }
      deliver(command.handler, teardown_errc_);  // the context is being freed
      return;
    }
    Reply copy = reply_from_hiredis(*reply);
    if (copy.is_error() && link_.clustered() && park(command, copy.str)) {
      return;
    }
    const bool demoted = copy.is_error() && copy.str.starts_with("READONLY");
    deliver(command.handler, {}, std::move(copy));
    if (demoted) {
      drop_demoted_link();
    }
  }

  // A cluster's redirect or refusal: keeps the command to send it again; false if `error` is an
  // answer for the caller.
  bool park(Command& command, const std::string& error) {
    const Redirect redirect = read_cluster_error(error, link_.target());
    if (redirect.verdict == ClusterVerdict::answer) {
      return false;
    }
    parked_.push_back(std::move(command));
    arm_retry();
    if (redirect.verdict == ClusterVerdict::moved ||
        redirect.verdict == ClusterVerdict::cluster_down) {
      // Re-link from the strand (not inside a hiredis callback), once per link: the other
      // commands in flight get the same answer.
      boost::asio::post(strand_, [this, guard = weak_from_this(), generation = link_generation_,
                                  redirect, error] {
        const auto owner = guard.lock();
        if (!owner || stopped_ || generation != link_generation_ || !link_.up()) {
          return;
        }
        teardown_errc_ = Errc::disconnected;
        park_in_flight_ = true;
        ++link_generation_;  // one re-link per link, however many commands were redirected
        if (redirect.verdict == ClusterVerdict::moved) {
          link_.redirect(redirect.to, "the cluster answered " + error);
        } else {
          link_.drop("the cluster answered " + error);
        }
      });
    }
    return true;
  }

  void arm_retry() {
    if (retry_armed_) {
      return;
    }
    retry_armed_ = true;
    retry_timer_.expires_after(retry_pause);
    retry_timer_.async_wait([this, guard = weak_from_this()](const boost::system::error_code& ec) {
      if (ec == boost::asio::error::operation_aborted) {
        return;
      }
      if (const auto owner = guard.lock()) {
        retry_parked();
      }
    });
  }

  void retry_parked() {
    retry_armed_ = false;
    std::deque<Command> parked = std::exchange(parked_, {});
    for (Command& command : parked) {
      if (stopped_) {
        deliver(command.handler, Errc::stopped);
      } else if (command.deadline <= Clock::now()) {
        deliver(command.handler, Errc::timeout);
      } else if (!link_.up()) {
        parked_.push_back(std::move(command));  // re-linking: wait for the new owner
      } else {
        send(std::move(command));
      }
    }
    if (!parked_.empty()) {
      arm_retry();
    }
  }

  void drop_demoted_link() {
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
  void deliver(ReplyHandler& handler, boost::system::error_code ec, Reply reply = {}) {
    if (destroying_) {
      boost::asio::post(strand_,
                        [handler = std::move(handler), ec, reply = std::move(reply)]() mutable {
                          call(handler, ec, reply);
                        });
      return;
    }
    call(handler, ec, reply);
  }

  static void call(ReplyHandler& handler, boost::system::error_code ec, Reply& reply) {
    // Most calls come from inside a hiredis callback: an exception must not unwind C frames.
    try {
      handler(ec, std::move(reply));
    } catch (const std::exception& e) {
      spdlog::error("redis reply handler threw: {}", e.what());
    } catch (...) {
      spdlog::error("redis reply handler threw");
    }
  }

  void arm_deadline() {
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

  void disarm_deadline() {
    deadline_armed_ = false;
    ++deadline_generation_;
    deadline_.cancel();
  }

  void on_deadline() {
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

  void shut_down() {
    if (stopped_) {
      return;
    }
    stopped_ = true;
    teardown_errc_ = Errc::stopped;
    disarm_deadline();
    link_.stop();
    retry_timer_.cancel();
    retry_parked();  // each fails with `stopped`
  }

  void on_link_up(redisAsyncContext*) override {
    ++link_generation_;
    notify_link(true);
  }

  void on_link_down() override {
    if (!in_flight_.empty()) {
      spdlog::critical("redis: link down with {} commands never answered", in_flight_.size());
      std::abort();
    }
    park_in_flight_ = false;
    disarm_deadline();
    notify_link(false);
  }

  void notify_link(bool up) {
    if (destroying_ || !link_callback_) {
      return;
    }
    boost::asio::post(strand_, [callback = link_callback_, up] { callback(up); });
  }

  Strand strand_;
  std::deque<Command> in_flight_;  // sent, not answered; oldest first
  boost::asio::steady_timer deadline_;
  std::uint64_t deadline_generation_ = 0;
  bool deadline_armed_ = false;
  std::deque<Command> parked_;  // refused by a cluster, to be sent again (see the top)
  boost::asio::steady_timer retry_timer_;
  bool retry_armed_ = false;
  bool park_in_flight_ = false;  // the link is being dropped for -MOVED: park, do not fail
  Errc teardown_errc_ = Errc::disconnected;  // what a NULL reply means right now
  bool stopped_ = false;
  bool destroying_ = false;
  std::uint64_t link_generation_ = 0;  // counts links up: tells a stale READONLY drop apart
  std::function<void(bool)> link_callback_;
  Link link_;  // last: the context it frees calls back into the members above
};

}  // namespace

std::shared_ptr<Connection> Connection::create(boost::asio::any_io_executor executor,
                                               ConnectionOptions options) {
  return std::make_shared<CommandConnection>(std::move(executor), std::move(options));
}

}  // namespace puente::redis
