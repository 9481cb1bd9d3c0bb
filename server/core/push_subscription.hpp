#pragma once
// What the server decides about a responder's phone for Web Push without any I/O: the id its
// record is kept under, made from its endpoint (the same phone subscribing again replaces its
// record instead of adding one), and whether it has gone quiet.

#include "puente/v1/puente.pb.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

// "psub-" and 16 hex digits of the endpoint's SHA-256 (core::valid_id("psub", ...) holds): the
// endpoint itself, a capability, never appears in a key, an id or a log line.
std::string push_subscription_id(std::string_view endpoint);

// The last time the phone itself was heard from: its last contact, or its subscription if it
// has never been heard from since.
std::chrono::system_clock::time_point last_heard_from(const v1::PushSubscription& phone);

// Not heard from for `stale_after` ([push] stale_after_hours) at `now`: the board and the
// phone's owner see it marked stale, and it is nudged to open the app.
bool push_phone_stale(const v1::PushSubscription& phone, std::chrono::system_clock::time_point now,
                      std::chrono::seconds stale_after);

// A responder's phones seen from the board (Delivery.phones_quiet_since): when every one of
// them is stale at `now`, the last time any of them was heard from (a push may not reach the
// responder); nullopt when one was heard from lately, or there are none (then no phone counts
// at all: Delivery.unreachable).
std::optional<std::chrono::system_clock::time_point> phones_quiet_since(
    const std::vector<v1::PushSubscription>& phones, std::chrono::system_clock::time_point now,
    std::chrono::seconds stale_after);

}  // namespace puente::core
