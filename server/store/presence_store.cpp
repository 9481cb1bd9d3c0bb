#include "store/presence_store.hpp"

#include "core/clock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace puente::store {

namespace {

std::string member(std::string_view responder_id, std::string_view node_id) {
  std::string word;
  word.reserve(responder_id.size() + 1 + node_id.size());
  return word.append(responder_id).append(1, ' ').append(node_id);
}

void log_failure(boost::system::error_code ec, const redis::Reply& reply, std::string_view what) {
  if (ec)
    spdlog::debug("redis {}: {}", what, ec.message());
  else if (reply.is_error())
    spdlog::error("redis {}: {}", what, reply.str);
}

// A word's score (ms until which it vouches) says it stands at `now_ms`.
bool vouched_past(const redis::Reply& score, long long now_ms) {
  if (score.type != redis::Reply::Type::string) return false;  // no such word
  double until_ms = 0;
  const auto [end, error] =
      std::from_chars(score.str.data(), score.str.data() + score.str.size(), until_ms);
  return error == std::errc{} && until_ms > static_cast<double>(now_ms);
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
                                    const std::string& asking_node,
                                    std::function<void(Outcome, std::set<std::string>)> done) {
  ask_connected(responder_ids, now, asking_node,
                [done = std::move(done)](Outcome outcome, const std::vector<std::string>& asked,
                                         const std::vector<bool>& connected) {
                  std::set<std::string> ids;
                  for (std::size_t i = 0; i < connected.size(); ++i)
                    if (connected[i]) ids.insert(asked[i]);
                  done(outcome, std::move(ids));
                });
}

void PresenceStore::count_connected_among(const std::vector<std::string>& responder_ids,
                                          std::chrono::system_clock::time_point now,
                                          const std::string& asking_node,
                                          std::function<void(Outcome, std::size_t)> done) {
  ask_connected(responder_ids, now, asking_node,
                [done = std::move(done)](Outcome outcome, const std::vector<std::string>&,
                                         const std::vector<bool>& connected) {
                  done(outcome, static_cast<std::size_t>(
                                    std::count(connected.begin(), connected.end(), true)));
                });
}

void PresenceStore::ask_connected(std::vector<std::string> responder_ids,
                                  std::chrono::system_clock::time_point now,
                                  const std::string& asking_node, Connected done) {
  if (responder_ids.empty()) return done(Outcome::ok, responder_ids, {});
  // Read without a script: the nodes alive now, then the words of the others about the
  // responders asked, in one ZMSCORE. A script did the same in one round trip and cost Redis
  // four times as much (each id made into a Lua string, each word built in Lua, each score
  // made into a Lua string, and the glue of each call), where Redis now reads the words as one
  // command's arguments (issue 22). The reads need not be one step: a node's word only moves
  // forward, so the answer is what Redis held at some moment between them.
  const auto now_ms = core::to_ms(now);
  redis_->execute(
      {"ZRANGE", keys_.presence_nodes(), "(" + std::to_string(now_ms), "+inf", "BYSCORE"},
      [redis = redis_, presence = keys_.presence(), asked = std::move(responder_ids), now_ms,
       asking_node, done = std::move(done)](auto ec, const redis::Reply& nodes) mutable {
        if (ec || nodes.is_error()) {
          log_failure(ec, nodes, "read presence");
          return done(Outcome::unavailable, asked, {});
        }
        std::vector<std::string_view> others;
        for (const auto& node : nodes.elements)
          if (node.str != asking_node) others.push_back(node.str);
        const std::size_t per_id = others.size();
        if (per_id == 0) return done(Outcome::ok, asked, std::vector<bool>(asked.size(), false));
        std::vector<std::string> words{"ZMSCORE", std::move(presence)};
        words.reserve(2 + asked.size() * per_id);
        for (const auto& id : asked)
          for (const auto node : others) words.push_back(member(id, node));
        redis->execute(
            std::move(words), [asked = std::move(asked), per_id, now_ms, done = std::move(done)](
                                  auto ec, const redis::Reply& scores) {
              if (ec || scores.is_error() || scores.elements.size() != asked.size() * per_id) {
                log_failure(ec, scores, "read presence");
                return done(Outcome::unavailable, asked, {});
              }
              std::vector<bool> connected(asked.size(), false);
              for (std::size_t i = 0; i < scores.elements.size(); ++i)
                if (vouched_past(scores.elements[i], now_ms)) connected[i / per_id] = true;
              done(Outcome::ok, asked, connected);
            });
      });
}

}  // namespace puente::store
