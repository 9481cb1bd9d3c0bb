#pragma once
// A Lua script run with EVALSHA, falling back to EVAL once when Redis answers NOSCRIPT
// (after a restart or SCRIPT FLUSH the script cache is empty). The SHA-1 is computed once.

#include "redis/connection.hpp"

#include <string>
#include <vector>

namespace puente::redis {

class Script {
 public:
  explicit Script(std::string source);

  const std::string& sha1() const { return sha1_; }
  const std::string& source() const { return source_; }

  void run(Connection& connection, std::vector<std::string> keys, std::vector<std::string> args,
           ReplyHandler handler) const;

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace puente::redis
