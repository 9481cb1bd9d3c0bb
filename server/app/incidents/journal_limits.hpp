#pragma once
// How much a node's journal may hold while Redis is away (app/incidents/outbox.hpp), node-wide and
// per sender, so that neither a long outage nor one flooding token fills the disk or buries what
// others queued. Read from [limits] journal_max_* and [rate_limits] journal_per_responder_*
// (config/puented.toml).

#include "core/token_bucket.hpp"

#include <cstddef>
#include <cstdint>

namespace puente::app {

struct JournalLimits {
  // Entries waiting, node-wide. A report or ack is a few hundred bytes: 10000 is a long outage
  // of a busy night's traffic, and a few MB on disk.
  std::size_t max_entries = 10000;
  // Their bytes on disk, record headers included. A note or description may reach 2 KB: 16 MiB
  // holds the entries above even then.
  std::uint64_t max_bytes = 16u << 20;
  // Entries per signed-in responder, whichever of their tokens they use (so no token, and no
  // holder of several, can fill the journal): a responder acks a few times per incident, an
  // operator logs a call every few seconds at most.
  core::RateLimit per_responder{0.5, 30};
};

}  // namespace puente::app
