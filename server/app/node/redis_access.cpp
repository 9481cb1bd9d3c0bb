#include "app/node/redis_access.hpp"

#include "core/redis_exposure.hpp"
#include "redis/password_file.hpp"

#include <filesystem>
#include <stdexcept>

namespace puente::app {
namespace {

void check_password_file(const std::string& user_option, const std::string& user,
                         const std::string& file_option, const std::string& file) {
  if (user.empty()) {
    if (!file.empty())
      throw std::runtime_error("config: [redis] " + file_option + " is set but " + user_option +
                               " is not (AUTH needs both)");
    return;
  }
  if (file.empty())
    throw std::runtime_error("config: [redis] " + user_option + " is set but " + file_option +
                             " is not (AUTH needs both)");
  const auto read = redis::read_password_file(file);
  if (!read.password) throw std::runtime_error("config: [redis] " + file_option + ": " + read.why);
  // A password any local account can read protects nothing from them.
  std::error_code ec;
  const auto permissions = std::filesystem::status(file, ec).permissions();
  if (!ec && (permissions & std::filesystem::perms::others_read) != std::filesystem::perms::none)
    throw std::runtime_error("config: [redis] " + file_option + " " + file +
                             " is readable by every user of this machine (chmod 600 it)");
}

}  // namespace

void check_redis_access(const NodeConfig& config) {
  const auto& r = config.redis;
  check_password_file("user", r.user, "password_file", r.password_file);
  check_password_file("sentinel_user", r.sentinel_user, "sentinel_password_file",
                      r.sentinel_password_file);
  core::RedisAccessPlan plan;
  plan.redis_host = r.endpoint.host;
  for (const auto& sentinel : r.sentinels) plan.sentinel_hosts.push_back(sentinel.host);
  plan.redis_auth = !r.user.empty();
  plan.sentinel_auth = !r.sentinel_user.empty();
  plan.allow_unauthenticated_remote = config.allow_unauthenticated_remote_redis;
  // A cluster's seeds are Redis nodes like `address`, and so is every primary they name (the
  // nodes learn each other's addresses): each seed is checked as `address` would be.
  for (const auto& seed : r.cluster) {
    plan.redis_host = seed.host;
    if (const auto why = core::unprotected_redis_access(plan))
      throw std::runtime_error("config: " + *why + " ([redis] cluster)");
  }
  if (const auto why = core::unprotected_redis_access(plan))
    throw std::runtime_error("config: " + *why);
}

}  // namespace puente::app
