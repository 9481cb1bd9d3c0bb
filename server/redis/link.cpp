#include "redis/link.hpp"

#include "redis/asio_adapter.hpp"
#include "redis/password_file.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

namespace puente::redis {
namespace {

std::string address(const Endpoint& endpoint) {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

// For logs. No quotes: JSON log lines embed messages as they are.
std::string describe(const ConnectionOptions& options, const Endpoint& target) {
  const bool known = !target.host.empty();  // the sentinels or the cluster have named it
  if (!options.cluster.empty()) {
    return "primary of slot " + std::to_string(options.cluster_slot) +
           (known ? " at " + address(target) : "");
  }
  if (options.sentinels.empty()) {
    return address(target);
  }
  return "primary " + options.master_name + (known ? " at " + address(target) : "");
}

}  // namespace

Link::Link(Strand strand, ConnectionOptions options, std::string role, Owner& owner)
    : strand_(std::move(strand)),
      options_(std::move(options)),
      role_(std::move(role)),
      target_(options_.sentinels.empty() && options_.cluster.empty() ? options_.endpoint
                                                                     : Endpoint{"", 0}),
      where_(describe(options_, target_)),
      owner_(owner),
      resolver_(strand_),
      connect_timer_(strand_),
      retry_timer_(strand_),
      backoff_(options_.reconnect_min) {
  // CLIENT SETNAME refuses spaces and control characters; a refused handshake would keep the
  // link down, so a bad configured name is made acceptable instead.
  for (char& c : options_.name) {
    if (c < '!' || c > '~') {
      c = '-';
    }
  }
}

Link::~Link() {
  if (query_) {
    // The query's own handlers do not lock our guard (they hold the query), so one may be
    // running on the strand right now: cancel it there, not from this thread. If its callback
    // runs first, it finds the guard expired and touches nothing of ours.
    boost::asio::post(strand_, [query = std::move(query_)] { query->cancel(); });
  }
  free_context();
}

void Link::start(std::weak_ptr<void> guard) {
  if (state_ != State::idle) {
    return;
  }
  guard_ = std::move(guard);
  begin_attempt();
}

void Link::stop() {
  if (state_ == State::stopped) {
    return;
  }
  const bool was_up = state_ == State::up;
  state_ = State::stopped;
  if (query_) {
    query_->cancel();
    query_.reset();
  }
  resolver_.cancel();
  connect_timer_.cancel();
  retry_timer_.cancel();
  free_context();
  if (was_up) {
    up_.store(false, std::memory_order_release);
    owner_.on_link_down();
  }
  spdlog::info("redis {} link to {} stopped", role_, where_);
}

void Link::drop(std::string_view why) {
  if (context_ == nullptr || state_ == State::stopped) {
    return;
  }
  const bool was_up = state_ == State::up;
  free_context();
  if (was_up) {
    spdlog::warn("redis {} link to {} dropped: {}", role_, where_, why);
    lost();
  } else {
    attempt_failed(why);
  }
}

void Link::connect_to(const Endpoint& target) {
  target_ = target;
  where_ = describe(options_, target_);
  state_ = State::resolving;
  const std::uint64_t attempt = attempt_;

  // One deadline for resolve, TCP connect and the CLIENT SETNAME (and ROLE) round trips.
  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait([this, guard = guard_, attempt](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) {
      return;
    }
    if (const auto owner = guard.lock()) {
      on_connect_deadline(ec, attempt);
    }
  });

  resolver_.async_resolve(
      target_.host, std::to_string(target_.port), boost::asio::ip::tcp::resolver::numeric_service,
      [this, guard = guard_, attempt](const boost::system::error_code& ec,
                                      const boost::asio::ip::tcp::resolver::results_type& results) {
        if (ec == boost::asio::error::operation_aborted) {
          return;
        }
        const auto owner = guard.lock();
        if (!owner || attempt != attempt_ || state_ != State::resolving) {
          return;
        }
        on_resolved(ec, results);
      });
}

void Link::on_resolved(const boost::system::error_code& ec,
                       const boost::asio::ip::tcp::resolver::results_type& results) {
  if (ec) {
    attempt_failed("cannot resolve the host: " + ec.message());
    return;
  }
  if (results.empty()) {
    attempt_failed("the host has no address");
    return;
  }
  // Walk the addresses across failed attempts: "localhost" may give ::1 first while Redis
  // listens on 127.0.0.1 only.
  auto address = results.begin();
  std::advance(address, static_cast<std::ptrdiff_t>(failures_ % results.size()));
  open_context(address->endpoint().address().to_string());
}

void Link::open_context(const std::string& ip) {
  redisAsyncContext* context = redisAsyncConnect(ip.c_str(), target_.port);
  if (context == nullptr) {
    attempt_failed("out of memory");
    return;
  }
  if (context->err != 0) {
    // Failed before any hook was attached (e.g. connection refused at once): ours to free.
    const std::string why = context->errstr != nullptr ? context->errstr : "connect failed";
    redisAsyncFree(context);
    attempt_failed(why);
    return;
  }
  adapter_ = AsioAdapter::attach(context, strand_, guard_);
  if (!adapter_) {
    redisAsyncFree(context);
    attempt_failed("cannot register the socket with the reactor");
    return;
  }
  context->data = this;
  context_ = context;
  state_ = State::connecting;
  redisAsyncSetDisconnectCallback(context, &Link::on_disconnect);
  // Asks the adapter for write readiness: that is how hiredis learns the connect finished.
  redisAsyncSetConnectCallback(context, &Link::on_connect);
}

void Link::on_connect_deadline(const boost::system::error_code& ec, std::uint64_t attempt) {
  if (ec || attempt != attempt_) {
    return;  // a stale deadline from an earlier attempt
  }
  switch (state_) {
    case State::resolving:
      resolver_.cancel();
      attempt_failed("connect timeout while resolving");
      break;
    case State::connecting:
    case State::handshaking:
      free_context();
      attempt_failed("connect timeout");
      break;
    default: break;  // up, or already waiting to retry
  }
}

void Link::on_connect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<Link*>(context->data);
  if (status != REDIS_OK) {
    // hiredis frees the context as soon as this returns: forget it, never touch it again.
    const std::string why = context->c.errstr;
    self->context_ = nullptr;
    self->attempt_failed(why);
    return;
  }
  self->state_ = State::handshaking;
  if (self->options_.user.empty()) {
    self->send_hello();
  } else {
    self->send_auth();
  }
}

void Link::send_auth() {
  // Read at each attempt: a rotated password is used from the next reconnect on.
  const PasswordRead read = read_password_file(options_.password_file);
  if (!read.password) {
    refused(read.why);
    return;
  }
  const std::string& password = *read.password;
  const char* argv[] = {"AUTH", options_.user.data(), password.data()};
  const std::size_t lengths[] = {4, options_.user.size(), password.size()};
  redisAsyncCommandArgv(context_, &Link::on_auth_reply, this, 3, argv, lengths);
}

void Link::on_auth_reply(redisAsyncContext*, void* reply, void* privdata) {
  auto* self = static_cast<Link*>(privdata);
  if (reply == nullptr || self->state_ != State::handshaking) {
    return;
  }
  const auto* r = static_cast<const redisReply*>(reply);
  if (r->type == REDIS_REPLY_ERROR) {
    // WRONGPASS (wrong password, unknown or disabled user): the reply names no secret.
    self->refused("Redis refused AUTH as " + self->options_.user + ": " +
                  std::string(r->str, r->len));
    return;
  }
  self->send_hello();
}

void Link::send_hello() {
  const char* argv[] = {"CLIENT", "SETNAME", options_.name.data()};
  const std::size_t lengths[] = {6, 7, options_.name.size()};
  redisAsyncCommandArgv(context_, &Link::on_hello_reply, this, 3, argv, lengths);
}

void Link::on_hello_reply(redisAsyncContext*, void* reply, void* privdata) {
  auto* self = static_cast<Link*>(privdata);
  // NULL: the context is going away; whoever ends it moves the state on.
  if (reply == nullptr || self->state_ != State::handshaking) {
    return;
  }
  const auto* r = static_cast<const redisReply*>(reply);
  if (r->type == REDIS_REPLY_ERROR) {
    // Redis answers but will not serve us (NOAUTH, max clients reached): not a usable link.
    self->refused("Redis refused the connection: " + std::string(r->str, r->len));
    return;
  }
  if (!self->options_.sentinels.empty() || self->clustered()) {
    self->send_role_check();
    return;
  }
  self->established();
}

void Link::send_role_check() {
  const char* argv[] = {"ROLE"};
  const std::size_t lengths[] = {4};
  redisAsyncCommandArgv(context_, &Link::on_role_reply, this, 1, argv, lengths);
}

void Link::on_role_reply(redisAsyncContext*, void* reply, void* privdata) {
  auto* self = static_cast<Link*>(privdata);
  if (reply == nullptr || self->state_ != State::handshaking) {
    return;
  }
  // ROLE answers ["master", offset, replicas] on a primary, ["slave", ...] on a replica.
  const auto* r = static_cast<const redisReply*>(reply);
  if (r->type == REDIS_REPLY_ARRAY && r->elements >= 1 &&
      r->element[0]->type == REDIS_REPLY_STRING &&
      std::string_view(r->element[0]->str, r->element[0]->len) == "master") {
    self->established();
    return;
  }
  if (r->type == REDIS_REPLY_ARRAY && r->elements >= 1 &&
      r->element[0]->type == REDIS_REPLY_STRING) {
    self->refused("it is not the primary (ROLE says " +
                  std::string(r->element[0]->str, r->element[0]->len) + ")");
    return;
  }
  self->refused("it gave no usable answer to ROLE");
}

void Link::refused(std::string why) {
  // Inside a hiredis callback the context cannot be freed (hiredis would defer it and call
  // on_disconnect later): finish on the strand.
  boost::asio::post(strand_, [this, guard = guard_, attempt = attempt_, why = std::move(why)] {
    const auto owner = guard.lock();
    if (!owner || attempt != attempt_ || state_ != State::handshaking) {
      return;
    }
    free_context();
    attempt_failed(why);
  });
}

void Link::established() {
  connect_timer_.cancel();
  state_ = State::up;
  if (ever_up_) {
    const auto count = reconnects_.fetch_add(1, std::memory_order_relaxed) + 1;
    spdlog::info("redis {} link to {} re-established (reconnect {})", role_, where_, count);
  } else {
    spdlog::info("redis {} link up to {}", role_, where_);
  }
  ever_up_ = true;
  failures_ = 0;
  backoff_ = options_.reconnect_min;
  up_.store(true, std::memory_order_release);
  owner_.on_link_up(context_);
}

void Link::on_disconnect(const redisAsyncContext* context, int) {
  auto* self = static_cast<Link*>(context->data);
  if (self->freeing_) {
    return;  // our own redisAsyncFree: free_context()'s caller moves the state on
  }
  // hiredis dropped the link (socket error, Redis closed it) and frees the context next.
  self->context_ = nullptr;
  const std::string why = context->errstr != nullptr ? context->errstr : "closed";
  if (self->state_ == State::up) {
    spdlog::warn("redis {} link to {} lost: {}", self->role_, self->where_, why);
    self->lost();
  } else {
    self->attempt_failed(why);
  }
}

void Link::attempt_failed(std::string_view why) {
  // Only the first failure in a row is a warning: Redis down for a minute must not flood logs.
  if (failures_++ == 0) {
    spdlog::warn("redis {} cannot connect to {}: {}; retrying with backoff", role_, where_, why);
  } else {
    spdlog::debug("redis {} cannot connect to {}: {} (attempt {})", role_, where_, why, failures_);
  }
  schedule_retry();
}

void Link::lost() {
  up_.store(false, std::memory_order_release);
  owner_.on_link_down();
  schedule_retry();
}

void Link::schedule_retry() {
  if (state_ == State::stopped) {
    return;
  }
  connect_timer_.cancel();
  state_ = State::waiting;
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
  retry_timer_.async_wait([this, guard = guard_](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) {
      return;
    }
    const auto owner = guard.lock();
    if (!owner || state_ != State::waiting) {
      return;
    }
    spdlog::debug("redis {} reconnecting to {}", role_, where_);
    begin_attempt();
  });
}

void Link::free_context() {
  // Never called from inside a hiredis callback (hiredis would defer the free): only from
  // strand handlers of our own and from the destructor.
  if (context_ == nullptr) {
    return;
  }
  redisAsyncContext* context = std::exchange(context_, nullptr);
  freeing_ = true;
  redisAsyncFree(context);
  freeing_ = false;
}

}  // namespace puente::redis
