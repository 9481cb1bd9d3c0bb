#pragma once
// Copies a hiredis reply into a Reply that owns its data (hiredis frees its reply as soon as
// the callback returns).

#include "redis/reply.hpp"

#include <hiredis/hiredis.h>

namespace puente::redis {

Reply reply_from_hiredis(const redisReply& reply);

}  // namespace puente::redis
