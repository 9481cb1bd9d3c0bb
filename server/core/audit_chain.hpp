#pragma once
// The audit log's hash chain, as a pure function of its entries.
//
// An entry's hash is the SHA-256 (hex) of its fields in a fixed order, each written as
// "<length>:<bytes>" so no two different entries share a text: sequence, time (ms), node,
// actor, action, subject, detail, and the previous entry's hash ("" for the first). The server
// computes it when it appends; `puente audit verify` computes it again for every entry.

#include "puente/v1/puente.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace puente::core {

std::string audit_hash(const v1::AuditEntry& entry);

struct ChainBreak {
  std::size_t index;   // position in the list checked
  std::string reason;  // "its hash does not match its contents", ...
};

// The first entry that does not follow from the one before (by hash, previous hash and
// sequence), or nullopt if the whole list holds. `previous` is the entry before the list's
// first, if the list does not start at the beginning of the log.
std::optional<ChainBreak> first_break(const std::vector<v1::AuditEntry>& entries,
                                      const v1::AuditEntry* previous = nullptr);

}  // namespace puente::core
