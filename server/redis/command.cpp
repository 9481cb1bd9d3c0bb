// Sending a command's arguments on a hiredis context (command.hpp).

#include "redis/command.hpp"

#include <hiredis/async.h>

#include <charconv>

namespace puente::redis {

namespace {

// "<prefix><n>\r\n": the count and length lines of the protocol.
void append_line(std::string& out, char prefix, std::size_t n) {
  char digits[24];
  digits[0] = prefix;
  auto end = std::to_chars(digits + 1, digits + sizeof digits - 2, n).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out.append(digits, static_cast<std::size_t>(end - digits));
}

}  // namespace

// The command is written in the protocol here, in one buffer, and handed to hiredis whole:
// hiredis's own formatting (redisAsyncCommandArgv) prints each argument's length with its
// printf-like sdscatfmt, about three times the instructions of this (docs/benchmarks.md).
bool send_args(redisAsyncContext* context, const std::vector<std::string>& args,
               ReplyCallback callback, void* privdata) {
  std::size_t size = 16;
  for (const auto& arg : args) size += arg.size() + 24;
  std::string command;
  command.reserve(size);
  append_line(command, '*', args.size());
  for (const auto& arg : args) {
    append_line(command, '$', arg.size());
    command += arg;
    command += "\r\n";
  }
  return redisAsyncFormattedCommand(context, callback, privdata, command.data(), command.size()) ==
         REDIS_OK;
}

}  // namespace puente::redis
