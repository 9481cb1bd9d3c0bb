#pragma once
// The life of one Redis link, shared by Connection and Subscriber (private to the Redis layer).
//
// A link goes: resolve the host with Asio (hiredis wants an IP) -> redisAsyncConnect -> the
// first write event completes the TCP connect -> AUTH user password, if ConnectionOptions::user
// is set (hiredis 0.14 has no auth of its own: this is the only place it is sent, so every
// link, commands and subscriber, authenticates on every reconnect) -> CLIENT SETNAME -> its
// reply proves Redis answers -> up. An error reply to AUTH (WRONGPASS) or to SETNAME (NOAUTH,
// max clients reached) fails the attempt. The
// connect deadline covers all of that: a Redis that accepts TCP but never answers (SIGSTOPped,
// overloaded) is not "up". Any failure, or a drop, schedules a new attempt with a new context
// (hiredis never reuses one) after a backoff that starts at reconnect_min and doubles up to
// reconnect_max; success resets it.
//
// With sentinels (ConnectionOptions::sentinels) each attempt starts one step earlier: ask them
// where the primary is now (SentinelQuery) -> resolve that -> ... -> CLIENT SETNAME -> ROLE,
// whose answer must be "master": right after a failover a sentinel may still name the old
// primary, which has come back as a replica; writing there would fail, and the link must not
// count as up. The connect deadline starts once the primary is known (the query has its own
// per-sentinel deadline). The sentinel that answered moves to the front of the list, as the
// Sentinel client guidelines ask, so a dead one costs one timeout, not one per attempt.
//
// With a Redis Cluster (ConnectionOptions::cluster) the first step asks the cluster's nodes
// instead, CLUSTER SLOTS, for the primary of the link's slot; ROLE is checked the same way. The
// node that answered moves to the front, and the nodes its answer named are kept at the back,
// so a link still finds the cluster when its seeds are gone (link_discovery.cpp: this step).
// redirect() (a -MOVED reply) puts the node it names first and drops the link: the next attempt
// asks the new owner itself, which knows the slot is its own before gossip has told the others.
//
// Ownership of the hiredis context: ours until hiredis reports an error. After a failed
// connect or a dropped link hiredis frees it itself, so `context_` is cleared in the callbacks
// and never touched again. When we end it (drop, stop, deadline) we call redisAsyncFree, which
// runs the pending reply callbacks with a NULL reply right away; redisAsyncDisconnect would
// instead wait for those replies, forever if Redis is stalled.
//
// Everything runs on the strand, except the destructor (see ~Link).

#include "redis/connection.hpp"
#include "redis/sentinel_query.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct redisAsyncContext;

namespace puente::redis {

class AsioAdapter;

using Strand = boost::asio::strand<boost::asio::any_io_executor>;

class Link {
 public:
  // What the link tells the object that owns it, on the strand.
  class Owner {
   public:
    // The link is up; the owner may send commands on `context` until on_link_down.
    virtual void on_link_up(redisAsyncContext* context) = 0;
    // The context is gone; every pending reply callback has already run with a NULL reply.
    virtual void on_link_down() = 0;

   protected:
    ~Owner() = default;
  };

  // `role` names the link in logs ("commands", "subscriber").
  Link(Strand strand, ConnectionOptions options, std::string role, Owner& owner);
  // Frees the context without telling the owner. The owner's destructor calls stop() first;
  // by then nothing else can run on the strand for it (every handler locks the guard).
  ~Link();

  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Starts connecting. `guard` is the owner's lifetime: handlers that complete after the owner
  // is gone do nothing. A second start() is ignored.
  void start(std::weak_ptr<void> guard);
  // Ends the link for good: frees the context (pending callbacks get a NULL reply), tells the
  // owner the link is down if it was up, and stops reconnecting.
  void stop();
  // Tears the link down now (a deadline passed) and reconnects after the backoff.
  void drop(std::string_view why);
  // Cluster: the slot is served by `owner` now (a -MOVED reply): ask it first and reconnect.
  void redirect(const Endpoint& owner, std::string_view why);
  bool clustered() const { return !options_.cluster.empty(); }
  const Endpoint& target() const { return target_; }  // where the link is (or goes); strand only

  // The context while the link is up, else nullptr. Strand only.
  redisAsyncContext* context() const { return state_ == State::up ? context_ : nullptr; }
  bool up() const { return up_.load(std::memory_order_acquire); }  // thread-safe
  std::uint64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }
  const ConnectionOptions& options() const { return options_; }

 private:
  enum class State { idle, discovering, resolving, connecting, handshaking, up, waiting, stopped };

  void begin_attempt();
  void on_discovered(SentinelQuery::Answer answer);
  void learn_nodes(std::size_t answered, const std::vector<Endpoint>& learned);
  void connect_to(const Endpoint& target);
  void on_resolved(const boost::system::error_code& ec,
                   const boost::asio::ip::tcp::resolver::results_type& results);
  void open_context(const std::string& ip);
  void on_connect_deadline(const boost::system::error_code& ec, std::uint64_t attempt);
  void send_auth();
  void send_hello();
  void send_role_check();
  void refused(std::string why);
  void established();
  void attempt_failed(std::string_view why);
  void lost();
  void schedule_retry();
  void free_context();

  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_auth_reply(redisAsyncContext* context, void* reply, void* privdata);
  static void on_hello_reply(redisAsyncContext* context, void* reply, void* privdata);
  static void on_role_reply(redisAsyncContext* context, void* reply, void* privdata);

  Strand strand_;
  ConnectionOptions options_;
  std::string role_;
  Endpoint target_;    // where this attempt connects: the endpoint, or what sentinels named
  std::string where_;  // "host:port" of target_ (and the master name with sentinels), for logs
  Owner& owner_;
  std::weak_ptr<void> guard_;

  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<SentinelQuery> query_;  // while discovering

  State state_ = State::idle;
  redisAsyncContext* context_ = nullptr;
  std::shared_ptr<AsioAdapter> adapter_;  // for context_; replaced with each context
  std::uint64_t attempt_ = 0;             // tells a stale deadline from the current one
  std::chrono::milliseconds backoff_;
  std::uint64_t failures_ = 0;  // consecutive failed attempts; only the first is a warning
  bool ever_up_ = false;
  bool freeing_ = false;  // inside our own redisAsyncFree: on_disconnect leaves it to us

  std::atomic<bool> up_{false};
  std::atomic<std::uint64_t> reconnects_{0};
};

}  // namespace puente::redis
