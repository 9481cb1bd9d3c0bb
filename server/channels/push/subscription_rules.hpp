#pragma once
// What a phone's push subscription must look like before it is stored (POST
// /v1/me/push-subscriptions): an endpoint the server would push to (endpoint_guard.hpp), keys
// that encrypt (RFC 8291: p256dh a point on P-256, auth 16 bytes) and a name its owner knows it
// by. A refusal names the field at fault and never quotes the endpoint (a capability) or a key.

#include "channels/push/message_encryption.hpp"  // auth_secret_bytes
#include "core/input_rules.hpp"
#include "puente/v1/puente.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace puente::push {

// Browsers' endpoints run to a few hundred bytes; a kilobyte more is room for any push service.
inline constexpr std::size_t max_endpoint_bytes = 2048;
inline constexpr std::size_t max_device_characters = 64;

// Codes: bad_endpoint, endpoint_not_allowed, bad_push_keys, bad_device.
std::optional<core::InputError> check_push_subscription(
    const v1::PushSubscription& subscription, const std::vector<std::string>& allowed_hosts);

}  // namespace puente::push
