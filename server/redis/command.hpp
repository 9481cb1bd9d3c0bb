#pragma once
// A command a connection owes its caller an answer for (private to the Redis layer): its
// handler, its deadline and its arguments, kept until it is answered so that a cluster's
// redirect can send it again, on the slot's link or on the side link of a migration
// (connection.cpp, ask_link.hpp).

#include "redis/connection.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct redisAsyncContext;
struct redisReply;

namespace puente::redis {

using Clock = std::chrono::steady_clock;
using Args = std::shared_ptr<const std::vector<std::string>>;

struct Command {
  ReplyHandler handler;
  Clock::time_point deadline;  // set once, when the caller gave it: resends keep it
  Args args;
  bool answered = false;          // already failed with `timeout`; its NULL reply is ignored
  std::optional<Endpoint> asked;  // -ASK named this node: send it there with ASKING next
};

// hiredis's reply callback: `reply` is NULL when the context is freed before the reply came.
using ReplyCallback = void (*)(redisAsyncContext*, void* reply, void* privdata);

// Queues `args` on `context` with explicit lengths (keys and values are binary and may hold NULs
// or CRLF); false if hiredis refused it (the context is going away). `args` must not be empty.
bool send_args(redisAsyncContext* context, const std::vector<std::string>& args,
               ReplyCallback callback, void* privdata);

}  // namespace puente::redis
