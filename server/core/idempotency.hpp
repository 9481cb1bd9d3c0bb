#pragma once
// What a retried request must repeat to count as the same request. A report or an ack sent
// again with the idempotency key of an earlier one is answered with what the first did only if
// it says the same thing; the same key with other content is a client bug or a replay of
// someone's key, and is refused (409 idempotency_conflict) rather than answered with success
// while the first content stays stored. The store keeps this digest beside the key: 16 bytes of
// SHA-256 in base64url (22 characters; 128 bits leave a chance collision out of reach, and the
// key is the caller's own). Entries written before issue 22 hold all 32 bytes in hex (64
// characters, 42 more in the append-only log per report and per ack with a key); the store
// compares those with ContentDigest::hex for as long as they live (the key's time to live,
// [limits] idempotency_ttl_seconds).

#include "puente/v1/puente.pb.h"

#include <string>

namespace puente::core {

// Both forms of a content's digest, from one SHA-256 (a second one was 2% of a report's work).
struct ContentDigest {
  std::string short_form;  // 16 bytes in base64url: what the store keeps
  std::string hex;         // all 32 in hex: as kept before
};

// The digest of what the report says: kind, location (lat, lon, place), description, language,
// neighborhood, caller hash. Not its id, time or key, which a retry may change.
ContentDigest content_digest(const v1::Report& report);

// The digest of what the ack says: incident, alert, state, note. Not its time.
ContentDigest content_digest(const v1::Ack& ack);

}  // namespace puente::core
