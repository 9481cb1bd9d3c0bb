#pragma once
// The command connection (private to the Redis layer): one Link, the commands in flight on it,
// and on a cluster the commands it redirects. connection.cpp holds the link and its FIFO of
// replies; connection_redirects.cpp what a cluster's refusals and -ASK make of a command.
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

#include "redis/ask_link.hpp"
#include "redis/cluster_reply.hpp"
#include "redis/command.hpp"
#include "redis/connection.hpp"
#include "redis/link.hpp"

#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <functional>
#include <memory>

namespace puente::redis {

class CommandConnection final : public Connection, private Link::Owner, private AskLink::Owner {
 public:
  CommandConnection(boost::asio::any_io_executor executor, ConnectionOptions options);
  ~CommandConnection() override;

  void start() override;
  void stop() override;
  bool connected() const override { return link_.up(); }
  std::uint64_t reconnects() const override { return link_.reconnects(); }
  void execute(std::vector<std::string> args, ReplyHandler handler) override;
  void execute_shared(std::shared_ptr<const std::vector<std::string>> args,
                      ReplyHandler handler) override;
  void on_link_change(std::function<void(bool up)> callback) override;

 private:
  std::shared_ptr<CommandConnection> self() {
    return std::static_pointer_cast<CommandConnection>(shared_from_this());
  }

  // connection.cpp: the slot's (or the only) link.
  void send(Args args, ReplyHandler handler);
  void send(Command command);
  static void on_reply(redisAsyncContext*, void* reply, void* privdata);
  void complete_oldest(const redisReply* reply);
  void drop_demoted_link();
  void deliver(ReplyHandler& handler, boost::system::error_code ec, Reply reply = {});
  static void call(ReplyHandler& handler, boost::system::error_code ec, Reply& reply);
  void arm_deadline();
  void disarm_deadline();
  void on_deadline();
  void shut_down();
  void on_link_up(redisAsyncContext*) override;
  void on_link_down() override;
  void notify_link(bool up);

  // connection_redirects.cpp: a cluster's answers.
  bool redirected(Command& command, const std::string& error);
  void follow_ask(Command command);
  void park(Command command);
  bool asked_waiting() const;  // a command parked for the side link
  void relink(const Redirect& redirect, const std::string& error);
  void arm_retry();
  void retry_parked();
  void resend_asked(Command command);
  void on_ask_link_up() override;
  void on_asked_reply(Command command, const redisReply* reply) override;
  void on_ask_link_done() override;

  Strand strand_;
  std::deque<Command> in_flight_;  // sent, not answered; oldest first
  boost::asio::steady_timer deadline_;
  std::uint64_t deadline_generation_ = 0;
  bool deadline_armed_ = false;
  std::deque<Command> parked_;  // refused by a cluster, to be sent again (redirects.cpp)
  boost::asio::steady_timer retry_timer_;
  bool retry_armed_ = false;
  bool park_in_flight_ = false;  // the link is being dropped for -MOVED: park, do not fail
  // Set at a -MOVED re-link: until this time a command sent while the link moves to the slot's
  // new owner waits for it, parked, instead of failing `not_connected` (a reshard is a few ms
  // of re-link, not an outage whose requests belong in a node's journal). One command timeout
  // at most: a new owner that cannot be reached is an outage, and commands fail fast again.
  Clock::time_point relinking_until_{};
  Errc teardown_errc_ = Errc::disconnected;  // what a NULL reply means right now
  bool stopped_ = false;
  bool destroying_ = false;
  std::uint64_t link_generation_ = 0;  // counts links up: tells a stale READONLY drop apart
  std::function<void(bool)> link_callback_;
  std::shared_ptr<AskLink> ask_;  // the side link of a migration, while one is under way
  Link link_;                     // last: the context it frees calls back into the members above
};

}  // namespace puente::redis
