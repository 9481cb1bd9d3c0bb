#include "core/audit_chain.hpp"

#include "core/bearer_token.hpp"
#include "core/clock.hpp"

namespace puente::core {

namespace {

void field(std::string& text, const std::string& value) {
  text += std::to_string(value.size());
  text += ':';
  text += value;
}

}  // namespace

std::string audit_hash(const v1::AuditEntry& entry) {
  std::string text;
  field(text, std::to_string(entry.sequence()));
  field(text, std::to_string(to_ms(entry.at())));
  field(text, entry.node_id());
  field(text, entry.actor());
  field(text, entry.action());
  field(text, entry.subject());
  field(text, entry.detail());
  field(text, entry.previous_hash());
  return sha256_hex(text);
}

std::optional<ChainBreak> first_break(const std::vector<v1::AuditEntry>& entries,
                                      const v1::AuditEntry* previous) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    const v1::AuditEntry* before = i > 0 ? &entries[i - 1] : previous;
    if (audit_hash(entry) != entry.hash())
      return ChainBreak{i, "its hash does not match its contents"};
    if (entry.previous_hash() != (before ? before->hash() : ""))
      return ChainBreak{i, "it does not carry the hash of the entry before it"};
    if (entry.sequence() != (before ? before->sequence() + 1 : 1))
      return ChainBreak{i,
                        "its sequence number does not follow the one before (an entry is missing)"};
  }
  return std::nullopt;
}

}  // namespace puente::core
