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

std::string_view verdict(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::array || reply.elements.empty()) return {};
  return reply.elements[0].str;
}

std::string element(const redis::Reply& reply, std::size_t i) {
  return i < reply.elements.size() ? reply.elements[i].str : std::string();
}

}  // namespace puente::store
