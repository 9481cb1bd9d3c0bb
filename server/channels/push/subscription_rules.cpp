#include "channels/push/subscription_rules.hpp"

#include "channels/push/endpoint_guard.hpp"
#include "channels/push/p256_key.hpp"
#include "core/base64url.hpp"

#include <stdexcept>

namespace puente::push {

namespace {

core::InputError problem(const char* code, std::string message) {
  return {code, std::move(message)};
}

bool is_point_on_p256(const std::string& point) {
  try {
    P256Key::from_public_point(point);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

// Characters of UTF-8 text, or nullopt if it is not UTF-8 or holds a control character (a
// name shown in a list must not move the lines around it).
std::optional<std::size_t> printable_characters(const std::string& text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80           ? 1
                               : (c >> 5) == 0x6  ? 2
                               : (c >> 4) == 0xe  ? 3
                               : (c >> 3) == 0x1e ? 4
                                                  : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    if (length == 1 && (c < 0x20 || c == 0x7f)) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return std::nullopt;
    i += length;
  }
  return count;
}

}  // namespace

std::optional<core::InputError> check_push_subscription(
    const v1::PushSubscription& subscription, const std::vector<std::string>& allowed_hosts) {
  const auto& endpoint = subscription.endpoint();
  if (endpoint.empty()) return problem("bad_endpoint", "the subscription has no endpoint");
  if (endpoint.size() > max_endpoint_bytes)
    return problem("bad_endpoint", "the endpoint is longer than 2048 bytes");
  if (auto check = check_push_endpoint(endpoint, allowed_hosts); !check.endpoint)
    return problem(check.host_not_allowed ? "endpoint_not_allowed" : "bad_endpoint", check.refusal);

  const auto p256dh = core::base64url_decode(subscription.keys().p256dh());
  if (!p256dh || p256dh->size() != p256_point_bytes || !is_point_on_p256(*p256dh))
    return problem("bad_push_keys",
                   "keys.p256dh must be a P-256 public key: 65 bytes, uncompressed, base64url");
  const auto auth = core::base64url_decode(subscription.keys().auth());
  if (!auth || auth->size() != auth_secret_bytes)
    return problem("bad_push_keys", "keys.auth must be 16 bytes, base64url");

  const auto device = printable_characters(subscription.device());
  if (!device || *device == 0 || *device > max_device_characters)
    return problem("bad_device",
                   "device must name the phone in 1 to 64 characters, without control characters");
  return std::nullopt;
}

}  // namespace puente::push
