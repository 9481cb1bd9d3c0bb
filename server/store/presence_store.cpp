#include "store/presence_store.hpp"

#include "core/clock.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <mutex>

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
    : redis_(std::move(redis)), keys_(std::move(keys)), seen_(std::make_shared<NodesSeen>()) {}

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

void PresenceStore::connected_among(std::vector<std::string> responder_ids,
                                    std::chrono::system_clock::time_point now,
                                    const std::string& asking_node,
                                    std::function<void(Outcome, std::set<std::string>)> done) {
  ask_connected(std::move(responder_ids), now, asking_node,
                [done = std::move(done)](Outcome outcome, const std::vector<std::string>& asked,
                                         const std::vector<bool>& connected) {
                  std::set<std::string> ids;
                  for (std::size_t i = 0; i < connected.size(); ++i)
                    if (connected[i]) ids.insert(asked[i]);
                  done(outcome, std::move(ids));
                });
}

void PresenceStore::count_connected_among(std::vector<std::string> responder_ids,
                                          std::chrono::system_clock::time_point now,
                                          const std::string& asking_node,
                                          std::function<void(Outcome, std::size_t)> done) {
  ask_connected(std::move(responder_ids), now, asking_node,
                [done = std::move(done)](Outcome outcome, const std::vector<std::string>&,
                                         const std::vector<bool>& connected) {
                  done(outcome, static_cast<std::size_t>(
                                    std::count(connected.begin(), connected.end(), true)));
                });
}

struct PresenceStore::NodesSeen {
  std::mutex mutex;
  std::vector<std::string> nodes;
};

struct PresenceStore::Reading {
  std::shared_ptr<redis::Connection> redis;
  std::string presence_key;
  std::shared_ptr<NodesSeen> seen;
  std::vector<std::string> asked;
  std::string asking_node;
  long long now_ms = 0;
  Connected done;
  std::vector<std::string> guessed;  // the nodes whose words went with the live list
  // The last of the round trip's replies finishes the read. A CommandConnection answers on its
  // strand, in order; atomic all the same, as redis::Connection promises no thread.
  std::atomic<int> replies_due = 0;
  std::atomic<bool> failed = false;
  redis::Reply guessed_scores;
  std::vector<std::string> alive;  // the live list, as Redis gave it
  std::vector<bool> connected;

  // `scores` holds the words of `nodes` about each id asked, id by id. A node's words count
  // only while its own word stands.
  void count(const std::vector<std::string>& nodes, const redis::Reply& scores) {
    std::vector<bool> standing;
    for (const auto& node : nodes)
      standing.push_back(std::find(alive.begin(), alive.end(), node) != alive.end());
    for (std::size_t i = 0; i < scores.elements.size(); ++i)
      if (standing[i % nodes.size()] && vouched_past(scores.elements[i], now_ms))
        connected[i / nodes.size()] = true;
  }
};

void PresenceStore::ask_connected(std::vector<std::string> responder_ids,
                                  std::chrono::system_clock::time_point now,
                                  const std::string& asking_node, Connected done) {
  if (responder_ids.empty()) return done(Outcome::ok, responder_ids, {});
  // Read without a script: the nodes alive now, and the words of the others about the
  // responders asked, in one ZMSCORE. A script did the same and cost Redis four times as much
  // (each id made into a Lua string, each word built in Lua, each score made into a Lua
  // string, and the glue of each call), where Redis now reads the words as one command's
  // arguments (issue 22). The words asked for are those of the nodes the last read found
  // alive, sent with the live list in one round trip; a node that came alive since costs a
  // second one, a node that died since is passed over. The reads need not be one step: a
  // node's word only moves forward, so the answer is what Redis held at a moment between them.
  auto reading = std::make_shared<Reading>();
  reading->redis = redis_;
  reading->presence_key = keys_.presence();
  reading->seen = seen_;
  reading->asked = std::move(responder_ids);
  reading->asking_node = asking_node;
  reading->now_ms = core::to_ms(now);
  reading->done = std::move(done);
  reading->connected.assign(reading->asked.size(), false);
  {
    std::lock_guard lock(seen_->mutex);
    for (const auto& node : seen_->nodes)
      if (node != asking_node) reading->guessed.push_back(node);
  }
  reading->replies_due = reading->guessed.empty() ? 1 : 2;
  redis_->execute(
      {"ZRANGE", keys_.presence_nodes(), "(" + std::to_string(reading->now_ms), "+inf", "BYSCORE"},
      [reading](auto ec, redis::Reply nodes) {
        if (ec || nodes.is_error()) {
          log_failure(ec, nodes, "read presence");
          reading->failed = true;
        }
        for (auto& node : nodes.elements) reading->alive.push_back(std::move(node.str));
        if (--reading->replies_due == 0) finish(reading);
      });
  if (reading->guessed.empty()) return;
  ask_words(reading, reading->guessed, [reading](redis::Reply scores) {
    reading->guessed_scores = std::move(scores);
    if (--reading->replies_due == 0) finish(reading);
  });
}

void PresenceStore::ask_words(const std::shared_ptr<Reading>& reading,
                              const std::vector<std::string>& nodes,
                              std::function<void(redis::Reply)> done) {
  const std::size_t expected = reading->asked.size() * nodes.size();
  std::vector<std::string> words{"ZMSCORE", reading->presence_key};
  words.reserve(2 + expected);
  for (const auto& id : reading->asked)
    for (const auto& node : nodes) words.push_back(member(id, node));
  reading->redis->execute(
      std::move(words), [reading, expected, done = std::move(done)](auto ec, redis::Reply scores) {
        if (ec || scores.is_error() || scores.elements.size() != expected) {
          log_failure(ec, scores, "read presence");
          reading->failed = true;
        }
        done(std::move(scores));
      });
}

void PresenceStore::finish(const std::shared_ptr<Reading>& reading) {
  auto& r = *reading;
  if (r.failed) return r.done(Outcome::unavailable, r.asked, {});
  {
    std::lock_guard lock(r.seen->mutex);
    r.seen->nodes = r.alive;
  }
  if (!r.guessed.empty()) r.count(r.guessed, r.guessed_scores);
  std::vector<std::string> joined;
  for (const auto& node : r.alive)
    if (node != r.asking_node &&
        std::find(r.guessed.begin(), r.guessed.end(), node) == r.guessed.end())
      joined.push_back(node);
  if (joined.empty()) return r.done(Outcome::ok, r.asked, r.connected);
  ask_words(reading, joined, [reading, joined](redis::Reply scores) {
    auto& r = *reading;
    if (r.failed) return r.done(Outcome::unavailable, r.asked, {});
    r.count(joined, scores);
    r.done(Outcome::ok, r.asked, r.connected);
  });
}

}  // namespace puente::store
