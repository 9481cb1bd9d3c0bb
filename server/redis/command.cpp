// Sending a command's arguments on a hiredis context (command.hpp).

#include "redis/command.hpp"

#include <hiredis/async.h>

namespace puente::redis {

bool send_args(redisAsyncContext* context, const std::vector<std::string>& args,
               ReplyCallback callback, void* privdata) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAsyncCommandArgv(context, callback, privdata, static_cast<int>(argv.size()),
                               argv.data(), lengths.data()) == REDIS_OK;
}

}  // namespace puente::redis
