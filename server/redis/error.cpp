// The error category of the Redis layer: what went wrong with the link, never a Redis error
// reply (those arrive as a Reply of type error).

#include "redis/connection.hpp"

#include <string>

namespace puente::redis {
namespace {

class RedisCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "puente.redis"; }

  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::not_connected: return "not connected to Redis";
      case Errc::timeout: return "Redis did not answer within the command deadline";
      case Errc::disconnected: return "the link to Redis dropped before the reply arrived";
      case Errc::stopped: return "the Redis connection was stopped";
    }
    return "unknown Redis error";
  }
};

}  // namespace

const boost::system::error_category& category() {
  static const RedisCategory instance;
  return instance;
}

boost::system::error_code make_error_code(Errc e) { return {static_cast<int>(e), category()}; }

}  // namespace puente::redis
