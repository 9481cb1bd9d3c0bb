#include "channels/push/vapid_signer.hpp"

#include <algorithm>
#include <stdexcept>

namespace puente::push {

VapidSigner::VapidSigner(VapidKey key, std::string subject, std::chrono::seconds lifetime)
    : key_(std::move(key)),
      subject_(std::move(subject)),
      lifetime_(std::clamp<std::chrono::seconds>(lifetime, std::chrono::seconds(60),
                                                 max_vapid_lifetime)) {
  if (!valid_vapid_subject(subject_))
    throw std::invalid_argument("a VAPID subject is a contact: \"mailto:...\" or \"https://...\"");
}

std::string VapidSigner::authorization(std::string_view audience,
                                       std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = by_audience_.find(audience);
  if (found != by_audience_.end() && now < found->second.renew_at)
    return found->second.authorization;

  // exp in whole seconds, rounded down: never past now + lifetime, so never past 24 h.
  const auto expires = std::chrono::floor<std::chrono::seconds>(now) + lifetime_;
  Signed fresh{
      vapid_authorization(key_, vapid_jwt(key_, {std::string(audience), expires, subject_})),
      now + lifetime_ / 2};
  if (found == by_audience_.end())
    found = by_audience_.emplace(std::string(audience), Signed{}).first;
  found->second = std::move(fresh);
  return found->second.authorization;
}

}  // namespace puente::push
