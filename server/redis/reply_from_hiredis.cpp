#include "redis/reply_from_hiredis.hpp"

#include <cstddef>

namespace puente::redis {

Reply reply_from_hiredis(const redisReply& reply) {
  Reply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::string;
      // Explicit length: values are binary and may hold NULs.
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::status;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::error;
      out.str.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_ARRAY:
      // Recursion is bounded: hiredis's reader parses at most 9 nested levels (rstack[9]).
      out.type = Reply::Type::array;
      out.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(reply.element[i] ? reply_from_hiredis(*reply.element[i]) : Reply{});
      }
      break;
    case REDIS_REPLY_NIL:
    default: out.type = Reply::Type::nil; break;
  }
  return out;
}

}  // namespace puente::redis
