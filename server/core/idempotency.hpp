#pragma once
// What a retried request must repeat to count as the same request. A report or an ack sent
// again with the idempotency key of an earlier one is answered with what the first did only if
// it says the same thing; the same key with other content is a client bug or a replay of
// someone's key, and is refused (409 idempotency_conflict) rather than answered with success
// while the first content stays stored. The store keeps this digest beside the key.

#include "puente/v1/puente.pb.h"

#include <string>

namespace puente::core {

// SHA-256 (hex) of what the report says: kind, location (lat, lon, place), description,
// language, neighborhood, caller hash. Not its id, time or key, which a retry may change.
std::string content_digest(const v1::Report& report);

// SHA-256 (hex) of what the ack says: incident, alert, state, note. Not its time.
std::string content_digest(const v1::Ack& ack);

}  // namespace puente::core
