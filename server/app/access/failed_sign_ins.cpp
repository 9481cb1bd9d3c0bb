#include "app/access/failed_sign_ins.hpp"

namespace puente::app {

RefusedSignIn refuse_sign_in(RateLimiter& limiter, const RateLimits& limits, AuditTrail& audit,
                             const core::SignIn& sign_in, std::string_view where,
                             const std::string& peer_address) {
  // Past the limit too: the audit log's count says how hard the address tried.
  audit.failed_sign_in(sign_in, where, peer_address);
  if (auto wait = limiter.take("failed-sign-ins", peer_address, limits.failed_sign_ins_per_address))
    return {rate_limited(*wait), wait};
  return {sign_in_refusal(*sign_in.failure), std::nullopt};
}

}  // namespace puente::app
