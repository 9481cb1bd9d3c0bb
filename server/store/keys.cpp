#include "store/keys.hpp"

namespace puente::store {

std::string Keys::slug_of_live_channel(std::string_view channel) const {
  std::string prefix = p_ + "live:";
  if (channel.size() <= prefix.size() || channel.substr(0, prefix.size()) != prefix) return {};
  return std::string(channel.substr(prefix.size()));
}

bool split_tagged(std::string_view payload, Tagged& out) {
  auto space = payload.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  out.tag = payload.substr(0, space);
  out.bytes = payload.substr(space + 1);
  return true;
}

}  // namespace puente::store
