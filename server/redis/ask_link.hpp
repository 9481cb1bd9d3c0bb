#pragma once
// The side link of a slot migration (issue 23; private to the Redis layer).
//
// While a cluster moves a slot, its old owner answers `-ASK <slot> <host:port>` for a key it no
// longer holds. The Redis Cluster specification has the client send ASKING and then the
// command to that node, for that command only: the next command still goes to the old owner,
// which serves the keys it still holds. A connection (connection.cpp) keeps one AskLink for the
// node its -ASK replies name: a Link of its own to that node (AUTH and CLIENT SETNAME as the
// slot's link; no cluster discovery: it goes where -ASK points, which is not the slot's owner
// yet), made when the first -ASK comes. Its connection ends it once the migration is over
// (-MOVED: retire()) or it has carried nothing for `idle_after` (10 s), and nothing is in flight.
//
// Each command goes as the pair ASKING, command, back to back on the one context, so nothing
// comes between them (ASKING holds for the next command only). Replies come in order, so the
// commands in flight are a FIFO, as on the slot's link, with one deadline timer for the oldest:
// when it passes, the link is dropped and every command in flight comes back to the connection
// with no reply (it tells its caller `timeout` or `disconnected`: a command sent may have run).
//
// Lifetime: shared. The Link's handlers and the hiredis callbacks lock the AskLink itself (its
// guard), so a late one after it is gone touches nothing. Every call into the connection first
// locks the connection's guard; when the connection is going away, or the AskLink is destroyed
// with commands in flight, their handlers get `stopped`, posted to the strand.

#include "redis/command.hpp"
#include "redis/link.hpp"

#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <memory>

namespace puente::redis {

class AskLink final : public std::enable_shared_from_this<AskLink>, private Link::Owner {
 public:
  // What the side link tells its connection, on the strand.
  class Owner {
   public:
    // The link is up: commands waiting for it may go.
    virtual void on_ask_link_up() = 0;
    // The answer to a command sent with ASKING; nullptr if the link went away before it came.
    virtual void on_asked_reply(Command command, const redisReply* reply) = 0;
    // Retired, or unused for idle_after, and nothing in flight: the connection may end it.
    virtual void on_ask_link_done() = 0;

   protected:
    ~Owner() = default;
  };

  // Starts linking to `to` with the slot link's `options` (user, password, name, deadlines).
  // On the strand. `owner_guard` is the connection's lifetime.
  static std::shared_ptr<AskLink> start(Strand strand, const ConnectionOptions& options,
                                        Endpoint to, Owner& owner, std::weak_ptr<void> owner_guard);
  ~AskLink();

  AskLink(const AskLink&) = delete;
  AskLink& operator=(const AskLink&) = delete;

  const Endpoint& to() const { return to_; }
  bool up() const { return link_.context() != nullptr; }
  bool idle() const { return in_flight_.empty(); }

  // Sends ASKING and `command` (moved from); false, `command` untouched, if the link is not up.
  bool send(Command& command);
  // The migration is over: the connection hears on_ask_link_done once nothing is in flight.
  void retire();

 private:
  AskLink(Strand strand, const ConnectionOptions& options, Endpoint to, Owner& owner,
          std::weak_ptr<void> owner_guard);

  void on_link_up(redisAsyncContext* context) override;
  void on_link_down() override;
  static void on_reply(redisAsyncContext* context, void* reply, void* privdata);
  void complete_oldest(const redisReply* reply);
  void arm_deadline();
  void on_deadline();
  void arm_idle();
  void tell_done_if_idle();

  Strand strand_;
  Endpoint to_;
  Owner& owner_;
  std::weak_ptr<void> owner_guard_;
  std::deque<Command> in_flight_;  // sent with ASKING, not answered; oldest first
  boost::asio::steady_timer deadline_;
  bool deadline_armed_ = false;
  boost::asio::steady_timer idle_timer_;
  bool retiring_ = false;    // the migration is over, or the link went unused
  bool destroying_ = false;  // NULL replies now mean `stopped`
  Link link_;                // last: the context it frees calls back into the members above
};

}  // namespace puente::redis
