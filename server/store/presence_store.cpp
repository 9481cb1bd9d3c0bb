#include "store/presence_store.hpp"

#include "core/clock.hpp"
#include "store/script_call.hpp"

#include <spdlog/spdlog.h>

namespace puente::store {

namespace {

std::string member(const std::string& responder_id, const std::string& node_id) {
  return responder_id + " " + node_id;
}

void log_failure(boost::system::error_code ec, const redis::Reply& reply, std::string_view what) {
  if (ec)
    spdlog::debug("redis {}: {}", what, ec.message());
  else if (reply.is_error())
    spdlog::error("redis {}: {}", what, reply.str);
}

}  // namespace

PresenceStore::PresenceStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void PresenceStore::vouch(const std::string& node_id, const std::vector<std::string>& responder_ids,
                          std::chrono::system_clock::time_point until) {
  if (responder_ids.empty()) return;
  auto score = std::to_string(core::to_ms(until));
  std::vector<std::string> args{"ZADD", keys_.presence()};
  for (const auto& id : responder_ids) {
    args.push_back(score);
    args.push_back(member(id, node_id));
  }
  redis_->execute(std::move(args), [](auto ec, const redis::Reply& reply) {
    log_failure(ec, reply, "vouch presence");
  });
}

void PresenceStore::vouch_alive(const std::string& node_id,
                                std::chrono::system_clock::time_point until,
                                std::function<void(bool new_to_redis)> new_to_redis) {
  // GT: a refresh never shortens what an arrival vouched for just before. ZADD answers how
  // many members it added: 1 if the node had no word there.
  redis_->execute(
      {"ZADD", keys_.presence_nodes(), "GT", std::to_string(core::to_ms(until)), node_id},
      [new_to_redis = std::move(new_to_redis)](auto ec, const redis::Reply& reply) {
        log_failure(ec, reply, "vouch presence");
        new_to_redis(!ec && !reply.is_error() && reply.integer == 1);
      });
}

void PresenceStore::prune_expired() {
  auto now_ms = std::to_string(core::to_ms(std::chrono::system_clock::now()));
  for (const auto& key : {keys_.presence(), keys_.presence_nodes()})
    redis_->execute(
        {"ZREMRANGEBYSCORE", key, "-inf", "(" + now_ms},
        [](auto ec, const redis::Reply& reply) { log_failure(ec, reply, "prune presence"); });
}

void PresenceStore::withdraw(const std::string& node_id, const std::string& responder_id,
                             std::function<void(bool)> done) {
  redis_->execute({"ZREM", keys_.presence(), member(responder_id, node_id)},
                  [done = std::move(done)](auto ec, const redis::Reply& reply) {
                    log_failure(ec, reply, "withdraw presence");
                    done(!ec && !reply.is_error());
                  });
}

void PresenceStore::connected_among(const std::vector<std::string>& responder_ids,
                                    std::chrono::system_clock::time_point now,
                                    std::function<void(Outcome, std::set<std::string>)> done) {
  if (responder_ids.empty()) return done(Outcome::ok, {});
  ScriptCall<lua::ConnectedAmong> call;
  call.key(lua::ConnectedAmong::Key::presence, keys_.presence())
      .key(lua::ConnectedAmong::Key::presence_nodes, keys_.presence_nodes())
      .arg(lua::ConnectedAmong::Arg::now_ms, std::to_string(core::to_ms(now)));
  for (const auto& id : responder_ids) call.tail_arg(id);
  std::move(call).run(*redis_, [done = std::move(done)](auto ec, const redis::Reply& reply) {
    std::set<std::string> ids;
    if (ec || reply.is_error()) {
      log_failure(ec, reply, "read presence");
      return done(Outcome::unavailable, ids);
    }
    for (const auto& e : reply.elements) ids.insert(e.str);
    done(Outcome::ok, std::move(ids));
  });
}

}  // namespace puente::store
