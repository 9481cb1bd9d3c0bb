#include "redis_probe.hpp"

#include <sys/time.h>

namespace puente::test {

RedisReplyPtr ask_redis(unsigned short port, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (context == nullptr) return nullptr;
  RedisReplyPtr reply;
  if (context->err == 0 && redisSetTimeout(context, tv) == REDIS_OK) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    reply.reset(static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  }
  redisFree(context);
  return reply;
}

bool redis_answer_has(unsigned short port, const std::vector<std::string>& args,
                      std::string_view needle) {
  const auto reply = ask_redis(port, args);
  return reply && reply->type == REDIS_REPLY_STRING &&
         std::string_view(reply->str, reply->len).find(needle) != std::string_view::npos;
}

}  // namespace puente::test
