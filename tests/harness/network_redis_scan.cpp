// What TestNetwork reads of the network's data in Redis: its values holding a string (the
// privacy tests' scan), and the check at the end of every test that no bearer token is there.
// On a Redis Cluster (the nodes' [redis] lines name one) both read every primary, where the
// network's data is, instead of the harness's own Redis.

#include "redis_probe.hpp"
#include "test_network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

namespace puente::test {
namespace {

// How many values (and key names) of the Redis it runs on hold one of ARGV[2], ARGV[3]...;
// ARGV[1] '1': the audit log too. Every key a node holds is local to it, so on a cluster it runs
// on each primary.
constexpr const char* values_holding_script =
    "local n = 0 for _, k in ipairs(redis.call('KEYS', '*')) do "
    "if ARGV[1] == '1' or not k:find(':audit', 1, true) then "
    "local t = redis.call('TYPE', k).ok local v = {k} "
    "if t == 'string' then v[2] = redis.call('GET', k) "
    "elseif t == 'list' then for _, x in ipairs(redis.call('LRANGE', k, 0, -1)) do v[#v + 1] = x "
    "end "
    "elseif t == 'hash' then for _, x in ipairs(redis.call('HGETALL', k)) do v[#v + 1] = x end "
    "elseif t == 'set' then for _, x in ipairs(redis.call('SMEMBERS', k)) do v[#v + 1] = x end "
    "elseif t == 'zset' then for _, x in ipairs(redis.call('ZRANGE', k, 0, -1)) do v[#v + 1] = x "
    "end "
    "elseif t == 'stream' then for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do "
    "for _, f in ipairs(e[2]) do v[#v + 1] = f end end end "
    "for _, x in ipairs(v) do for i = 2, #ARGV do "
    "if string.find(x, ARGV[i], 1, true) then n = n + 1 break end end end end end "
    "return n";

}  // namespace

TestNetwork::~TestNetwork() {
  // Tokens are kept hashed (the roster's token_sha256, token records): one in Redis is a leak.
  // Read once the test's nodes have stopped; a Redis the test killed or paused is not read
  // (the probe has a deadline; redis_line has none).
  if (cluster_seeds_.empty() && !ask_redis(redis_.port(), {"PING"})) return;
  try {
    std::vector<std::string> tokens;
    for (const auto& [id, token] : tokens_) tokens.push_back(token);
    if (values_holding_any(tokens, true) == 0) return;
    for (const auto& [id, token] : tokens_)
      if (values_holding(token) > 0) {
        ADD_FAILURE() << "Redis holds the bearer token of " << id << " (the network's data"
                      << (cluster_seeds_.empty() ? "" : ", on the cluster's primaries") << ")";
        return;
      }
  } catch (const std::exception&) {
  }
}

long long TestNetwork::values_holding(const std::string& needle, bool audit_too) const {
  return values_holding_any({needle}, audit_too);
}

long long TestNetwork::values_holding_any(const std::vector<std::string>& needles,
                                          bool audit_too) const {
  const std::string audit = audit_too ? "1" : "0";
  if (cluster_seeds_.empty()) {
    std::string command = std::string("EVAL \"") + values_holding_script + "\" 0 " + audit;
    for (const auto& needle : needles) command += " \"" + needle + "\"";
    return redis_integer(command);
  }
  // On a cluster: every primary, as the first seed that answers sees them now.
  std::vector<std::string> command{"EVAL", values_holding_script, "0", audit};
  command.insert(command.end(), needles.begin(), needles.end());
  long long held = 0;
  for (const auto port : cluster_primaries()) {
    const auto reply = ask_redis(port, command);
    if (!reply || reply->type != REDIS_REPLY_INTEGER)
      throw std::runtime_error("the cluster's primary on " + std::to_string(port) +
                               " did not answer the values scan");
    held += reply->integer;
  }
  return held;
}

std::vector<unsigned short> TestNetwork::cluster_primaries() const {
  // CLUSTER SLOTS: [[first slot, last slot, [primary ip, port, id], replicas...], ...].
  for (const auto seed : cluster_seeds_) {
    const auto ranges = ask_redis(seed, {"CLUSTER", "SLOTS"});
    if (!ranges || ranges->type != REDIS_REPLY_ARRAY) continue;
    std::vector<unsigned short> primaries;
    for (std::size_t i = 0; i < ranges->elements; ++i) {
      const redisReply* range = ranges->element[i];
      if (range->type != REDIS_REPLY_ARRAY || range->elements < 3) continue;
      const auto port = static_cast<unsigned short>(range->element[2]->element[1]->integer);
      if (std::find(primaries.begin(), primaries.end(), port) == primaries.end())
        primaries.push_back(port);
    }
    return primaries;
  }
  throw std::runtime_error("no node of the cluster answered CLUSTER SLOTS");
}

}  // namespace puente::test
