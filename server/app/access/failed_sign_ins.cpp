#include "app/access/failed_sign_ins.hpp"

#include <spdlog/spdlog.h>

namespace puente::app {

RefusedSignIn refuse_sign_in(RateLimiter& limiter, const RateLimits& limits, AuditTrail* audit,
                             const core::SignIn& sign_in, std::string_view where,
                             const std::string& peer_address) {
  // Past the limit too: the audit log's count says how hard the address tried.
  if (audit) audit->failed_sign_in(sign_in, where, peer_address);
  if (auto wait = limiter.take("failed-sign-ins", peer_address, limits.failed_sign_ins_per_address))
    return {rate_limited(*wait), wait};
  // No network's audit log takes it: the node's log does, as often as the address's limit lets
  // it try (never the token).
  if (!audit)
    spdlog::info("sign-in refused over {} from {}: a token no network knows", where, peer_address);
  return {sign_in_refusal(*sign_in.failure), std::nullopt};
}

}  // namespace puente::app
