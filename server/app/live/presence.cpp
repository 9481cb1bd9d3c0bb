#include "app/live/presence.hpp"

#include "core/ids.hpp"

#include <boost/asio/post.hpp>

#include <utility>
#include <vector>

namespace puente::app {

namespace asio = boost::asio;
using Clock = std::chrono::system_clock;

Presence::Presence(asio::any_io_executor executor, store::PresenceStore& store, std::string node_id,
                   std::chrono::seconds expiry)
    : strand_(asio::make_strand(executor)),
      timer_(strand_),
      store_(store),
      // "/" and 8 hex digits of a fresh id: this process's own.
      node_id_(std::move(node_id) + "/" + core::new_id("p").substr(2, 8)),
      expiry_(expiry) {}

void Presence::start() {
  asio::post(strand_, [self = shared_from_this()] { self->schedule_refresh(); });
}

void Presence::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
}

void Presence::arrived(const std::string& responder_id) {
  std::lock_guard lock(mutex_);
  // The store calls are made under the lock: a quick hello-close-hello reaches Redis in order.
  if (++sockets_[responder_id] != 1) return;
  const auto now = Clock::now();
  vouch_alive(now);
  store_.vouch(node_id_, {responder_id}, now + words_per_alive * expiry_);
}

void Presence::vouch_alive(Clock::time_point now) {
  // A word of the node's new to Redis (its first, or Redis lost its data since the last): the
  // responders' words are not there either, so they are repeated now, not at the tenth refresh.
  store_.vouch_alive(node_id_, now + expiry_, [weak = weak_from_this()](bool new_to_redis) {
    if (!new_to_redis) return;
    if (auto self = weak.lock()) {
      std::lock_guard lock(self->mutex_);
      if (!self->stopped_) self->vouch_all(Clock::now());
    }
  });
}

void Presence::vouch_all(Clock::time_point now) {
  std::vector<std::string> held;
  held.reserve(sockets_.size());
  for (const auto& [id, count] : sockets_) held.push_back(id);
  store_.vouch(node_id_, held, now + words_per_alive * expiry_);
}

void Presence::left(const std::string& responder_id) {
  std::lock_guard lock(mutex_);
  auto it = sockets_.find(responder_id);
  if (it == sockets_.end()) return;
  if (--it->second > 0) return;
  sockets_.erase(it);
  withdraw(responder_id);
}

void Presence::withdraw(const std::string& responder_id) {
  // A word that stays behind would count for as long as it lasts (words_per_alive expiries):
  // one Redis did not take is tried again at the next refresh.
  store_.withdraw(node_id_, responder_id, [weak = weak_from_this(), responder_id](bool withdrawn) {
    if (withdrawn) return;
    if (auto self = weak.lock()) {
      std::lock_guard lock(self->mutex_);
      self->unwithdrawn_.insert(responder_id);
    }
  });
}

template <class Ids, class Here>
std::vector<std::string> Presence::not_here(const Ids& responder_ids, Here here) {
  std::vector<std::string> elsewhere;
  std::lock_guard lock(mutex_);
  for (const auto& id : responder_ids)
    if (sockets_.find(id) != sockets_.end())
      here(id);
    else
      elsewhere.emplace_back(id);
  return elsewhere;
}

void Presence::connected_among(const std::vector<std::string>& responder_ids, Clock::time_point now,
                               std::function<void(store::Outcome, std::set<std::string>)> done) {
  std::set<std::string> here;
  auto elsewhere = not_here(responder_ids, [&](const std::string& id) { here.insert(id); });
  if (elsewhere.empty()) return done(store::Outcome::ok, std::move(here));
  store_.connected_among(std::move(elsewhere), now, node_id_,
                         [here = std::move(here), done = std::move(done)](
                             store::Outcome outcome, std::set<std::string> connected) mutable {
                           connected.merge(here);
                           done(outcome, std::move(connected));
                         });
}

void Presence::count_connected_among(const std::vector<std::string_view>& responder_ids,
                                     Clock::time_point now,
                                     std::function<void(store::Outcome, std::size_t)> done) {
  std::size_t here = 0;
  auto elsewhere = not_here(responder_ids, [&](std::string_view) { ++here; });
  if (elsewhere.empty()) return done(store::Outcome::ok, here);
  store_.count_connected_among(
      std::move(elsewhere), now, node_id_,
      [here, done = std::move(done)](store::Outcome outcome, std::size_t connected) {
        done(outcome, here + connected);
      });
}

void Presence::schedule_refresh() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
  }
  // A third of the expiry: two refreshes may fail (a Redis blip) before anyone seems gone.
  timer_.expires_after(std::chrono::milliseconds(expiry_) / 3);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec) return;
    self->refresh();
    self->schedule_refresh();
  });
}

void Presence::refresh() {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  for (const auto& id : std::exchange(unwithdrawn_, {}))
    if (!sockets_.count(id)) withdraw(id);
  const auto now = Clock::now();
  if (!sockets_.empty()) vouch_alive(now);
  if (refreshes_++ % words_per_alive != 0) return;
  store_.prune_expired();
  vouch_all(now);
}

}  // namespace puente::app
