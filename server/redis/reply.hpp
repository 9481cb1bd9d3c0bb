#pragma once
// A Redis reply, copied out of hiredis's redisReply so it can outlive the callback.

#include <cstdint>
#include <string>
#include <vector>

namespace puente::redis {

struct Reply {
  enum class Type { nil, status, error, integer, string, array };

  Type type = Type::nil;
  std::string str;              // status, error and string replies
  long long integer = 0;        // integer replies
  std::vector<Reply> elements;  // array replies

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
};

}  // namespace puente::redis
