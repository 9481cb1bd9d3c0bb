#include "store/replies.hpp"

#include <spdlog/spdlog.h>

namespace puente::store {

bool failed(boost::system::error_code ec, const redis::Reply& reply, std::string_view what) {
  if (ec) {
    spdlog::warn("redis {}: {}", what, ec.message());
    return true;
  }
  if (reply.is_error()) {
    spdlog::error("redis {}: {}", what, reply.str);
    return true;
  }
  return false;
}

}  // namespace puente::store
