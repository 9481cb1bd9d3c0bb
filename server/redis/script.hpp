#pragma once
// A Lua script run with EVALSHA, falling back to EVAL once when Redis answers NOSCRIPT
// (after a restart or SCRIPT FLUSH the script cache is empty). The SHA-1 is computed once.

#include "redis/connection.hpp"

#include <memory>
#include <string>
#include <vector>

namespace puente::redis {

class Script {
 public:
  explicit Script(std::string source);

  const std::string& sha1() const { return sha1_; }
  const std::string& source() const { return *source_; }

  // Runs the script on `connection` (EVALSHA; on NOSCRIPT, EVAL once, which also reloads the
  // cache). The handler is called once, like any command's. The Script may be destroyed
  // before the reply arrives.
  void run(Connection& connection, std::vector<std::string> keys, std::vector<std::string> args,
           ReplyHandler handler) const;

 private:
  // Shared with runs in flight: the NOSCRIPT retry needs the source after run() returned.
  std::shared_ptr<const std::string> source_;
  std::string sha1_;
};

}  // namespace puente::redis
