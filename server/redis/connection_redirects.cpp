// What a Redis Cluster's refusals and redirects make of a command (issue 23; the connection is
// in command_connection.hpp, the decisions in cluster_reply.hpp, next_step).
//
// On a cluster the link is bound to one slot (link.hpp). A command whose reply is a redirect or
// a cluster error never reaches its caller:
// - -MOVED: the slot has a new owner. The link re-links there, and the command runs there. The
//   commands in flight behind it are resent too (the old node refused them all), those sent
//   while the link moves wait for it (for one command timeout at most), and the side link of
//   the migration, if any, is retired.
// - -ASK <slot> <host:port>: the slot is migrating and the key is already on that node. The
//   command goes once, after ASKING, to that node over the side link (ask_link.hpp), made when
//   first needed; the next command still goes to the old owner.
// - -TRYAGAIN (a multi-key command whose keys the migration has split between the two nodes),
//   and any refusal on the side link: the command waits in parked_ and is sent again to the
//   slot's owner every retry_pause, until it gets a real answer or its deadline passes
//   (-> `timeout`).
// - -CLUSTERDOWN: parked, and the link is dropped so the slot's owner is looked up again.
// A command is never sent twice at once: it is in flight on one link, or parked.
//
// Order. Outside a migration every command goes on the one link and runs in the order execute()
// was called. During one, a command answered -ASK runs on the new owner after the commands sent
// after it that the old owner still served; but those touched other keys: the old owner answers
// -ASK for every command on a key it no longer holds (writes included), and every command
// answered -ASK goes over the one side link in the order its -ASK came (those parked while the
// side link connects go first, and a later one waits behind them), so the commands on any one key
// keep the order they were issued in. That is what the stores rely on: a caller that issues a
// write and then a read of the same key without waiting for the first reply still reads its
// write. A parked command (-TRYAGAIN, -MOVED, -CLUSTERDOWN) is the exception: it runs after the
// commands issued after it that were served meanwhile.

#include "redis/command_connection.hpp"

#include "redis/reply_from_hiredis.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <utility>

namespace puente::redis {
namespace {

// How long a command refused by a cluster (a redirect, a migration) waits before it is sent
// again: a slot migration of a network's few hundred keys takes tens of ms, a failover seconds.
constexpr std::chrono::milliseconds retry_pause{25};

}  // namespace

bool CommandConnection::redirected(Command& command, const std::string& error) {
  const bool sent_asking = command.asked.has_value();
  const Redirect redirect = read_cluster_error(error, command.asked.value_or(link_.target()));
  switch (next_step(redirect.verdict, sent_asking)) {
    case ClusterStep::answer: return false;
    case ClusterStep::ask_there:
      command.asked = redirect.to;
      follow_ask(std::move(command));
      return true;
    case ClusterStep::retry:
      command.asked.reset();  // ASK is one-shot: the slot's owner decides again
      park(std::move(command));
      return true;
    case ClusterStep::follow_moved:
    case ClusterStep::reread_slots:
      park(std::move(command));
      relink(redirect, error);
      return true;
  }
  return false;
}

void CommandConnection::follow_ask(Command command) {
  const Endpoint& to = *command.asked;
  if (ask_ && ask_->to() != to) {
    // Another node takes the slot now (a migration given up and started again elsewhere). The
    // old side link may still have replies to read: it goes once it has none.
    if (ask_->idle()) {
      ask_.reset();
    } else {
      ask_->retire();
    }
  }
  if (!ask_) {
    ask_ = AskLink::start(strand_, link_.options(), to, *this, weak_from_this());
  }
  if (ask_->to() == to && !asked_waiting() && ask_->send(command)) {
    return;
  }
  park(std::move(command));  // keeps `asked`: it goes on the side link once that is up
}

bool CommandConnection::asked_waiting() const {
  return std::any_of(parked_.begin(), parked_.end(),
                     [](const Command& c) { return c.asked.has_value(); });
}

void CommandConnection::park(Command command) {
  parked_.push_back(std::move(command));
  arm_retry();
}

void CommandConnection::relink(const Redirect& redirect, const std::string& error) {
  if (ask_ && redirect.verdict == ClusterVerdict::moved) {
    ask_->retire();  // the migration is over
  }
  // Re-link from the strand (not inside a hiredis callback), once per link: the other commands
  // in flight get the same answer.
  boost::asio::post(
      strand_, [this, guard = weak_from_this(), generation = link_generation_, redirect, error] {
        const auto owner = guard.lock();
        if (!owner || stopped_ || generation != link_generation_ || !link_.up()) {
          return;
        }
        teardown_errc_ = Errc::disconnected;
        park_in_flight_ = true;
        ++link_generation_;  // one re-link per link, however many commands were redirected
        if (redirect.verdict == ClusterVerdict::moved) {
          relinking_until_ = Clock::now() + link_.options().command_timeout;
          link_.redirect(redirect.to, "the cluster answered " + error);
        } else {
          link_.drop("the cluster answered " + error);
        }
      });
}

void CommandConnection::arm_retry() {
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

void CommandConnection::retry_parked() {
  retry_armed_ = false;
  std::deque<Command> parked = std::exchange(parked_, {});
  for (Command& command : parked) {
    if (stopped_) {
      deliver(command.handler, Errc::stopped);
    } else if (command.deadline <= Clock::now()) {
      deliver(command.handler, Errc::timeout);
    } else if (command.asked && ask_ && ask_->to() == *command.asked) {
      resend_asked(std::move(command));
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

void CommandConnection::resend_asked(Command command) {
  // In order behind the ones parked before it; waits while the side link connects. (One whose
  // side link is gone, the migration over, goes to the slot's owner again: send() forgets -ASK.)
  if (asked_waiting() || !ask_->send(command)) {
    parked_.push_back(std::move(command));
  }
}

void CommandConnection::on_ask_link_up() {
  // Inside the side link's hiredis callback: send what waited for it from the strand.
  boost::asio::post(strand_, [this, guard = weak_from_this()] {
    if (const auto owner = guard.lock(); owner && !stopped_) {
      retry_parked();
    }
  });
}

void CommandConnection::on_asked_reply(Command command, const redisReply* reply) {
  if (reply == nullptr) {
    // The side link went away with the command sent: it may have run, so it is not resent.
    const bool late = command.deadline <= Clock::now();
    deliver(command.handler, stopped_ ? Errc::stopped : late ? Errc::timeout : Errc::disconnected);
    return;
  }
  Reply copy = reply_from_hiredis(*reply);
  if (copy.is_error() && redirected(command, copy.str)) {
    return;
  }
  deliver(command.handler, {}, std::move(copy));
}

void CommandConnection::on_ask_link_done() {
  // Inside the side link's callback or timer: end it from the strand, if still idle then.
  boost::asio::post(strand_, [this, guard = weak_from_this(), done = std::weak_ptr(ask_)] {
    const auto owner = guard.lock();
    if (owner && ask_ && ask_ == done.lock() && ask_->idle()) {
      ask_.reset();
    }
  });
}

}  // namespace puente::redis
