#include "core/redis_exposure.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace puente::core {

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  // "[::1]" as written in a HOST:PORT is ::1.
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

std::optional<std::string> unprotected_redis_access(const RedisAccessPlan& plan) {
  if (plan.allow_unauthenticated_remote) return std::nullopt;
  const std::string fix =
      " without AUTH; set a Redis ACL user (deploy/redis/users.acl) or, on a private network you "
      "vouch for, [redis] allow_unauthenticated_remote = true";
  if (plan.sentinel_hosts.empty()) {
    if (!plan.redis_auth && !is_loopback_host(plan.redis_host))
      return "[redis] address " + plan.redis_host + " is not on this host and [redis] user is " +
             "not set: the node would talk to Redis" + fix;
    return std::nullopt;
  }
  if (!plan.sentinel_auth) {
    const auto remote = std::find_if(plan.sentinel_hosts.begin(), plan.sentinel_hosts.end(),
                                     [](const std::string& h) { return !is_loopback_host(h); });
    if (remote != plan.sentinel_hosts.end())
      return "[redis] sentinel " + *remote + " is not on this host and [redis] sentinel_user is " +
             "not set: the node would ask it where Redis is" + fix;
  }
  const bool all_loopback = std::all_of(plan.sentinel_hosts.begin(), plan.sentinel_hosts.end(),
                                        [](const std::string& h) { return is_loopback_host(h); });
  if (!plan.redis_auth && !all_loopback)
    return std::string(
               "[redis] user is not set while the sentinels may name a primary on another "
               "host: the node would talk to Redis") +
           fix;
  return std::nullopt;
}

}  // namespace puente::core
