#pragma once
// One question to a Redis on a fresh blocking connection (hiredis's synchronous API, not the
// asynchronous layer the tests check), for fixtures that watch servers: is the cluster up, who
// is primary. A server that takes longer than `timeout` is as good as down for a probe.

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace puente::test {

struct RedisReplyFree {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyFree>;

// The reply to `args` from 127.0.0.1:`port`; nullptr if it does not answer within `timeout`.
RedisReplyPtr ask_redis(unsigned short port, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(1));

// Whether a string reply to `args` holds `needle` (INFO's and CLUSTER INFO's "field:value").
bool redis_answer_has(unsigned short port, const std::vector<std::string>& args,
                      std::string_view needle);

}  // namespace puente::test
