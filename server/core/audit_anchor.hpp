#pragma once
// Audit anchors: the audit log's head, signed by a node with the network's Ed25519 key and kept
// outside Redis (app/access/audit_anchors.hpp writes them to the node's state folder and its
// log). Whoever can write to Redis can rewrite the whole chain consistently, recomputing every
// hash; they cannot sign an anchor. `puente audit verify --anchors DIR` checks that the chain
// still holds, for every anchor, the entry of its sequence with the hash it signed.
//
// An anchor file is text, one field a line, the signature over the lines before it:
//
//   puente audit anchor 1
//   node a
//   at 1796566800000          (ms since the epoch, when the node signed it)
//   sequence 42
//   hash 9f86d0...            (entry #42's hash, hex)
//   signature <base64url of the 64-byte Ed25519 signature>
//
// Pure: signing and checking the signature are the caller's (evidence/network_key.hpp).

#include "puente/v1/puente.pb.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

struct AuditAnchor {
  std::string node_id;
  std::int64_t at_ms = 0;
  std::uint64_t sequence = 0;  // > 0
  std::string hash;
  std::string signature;  // raw bytes

  // The signed text: every line above but the signature's.
  std::string statement() const;
  // The file: the statement and the signature line.
  std::string file_text() const;
  // "anchor-<node>-<sequence>.txt": one file per anchored head; a later anchor of the same head
  // (the log did not move) is the same file.
  std::string file_name() const;
};

// The anchor in `text`, or nullopt with `error` saying what is wrong with it.
std::optional<AuditAnchor> parse_audit_anchor(std::string_view text, std::string& error);

struct AnchorBreak {
  std::size_t anchor;  // index into the anchors checked
  std::string reason;  // "the log has no entry #42 (its last is #40)", ...
};

// The first anchor (in the order given) whose entry the log no longer holds as signed: no entry
// of its sequence, or one whose hash differs. `entries`: the whole log, oldest first, as read
// (core/audit_chain.hpp's first_break checks that it holds together).
std::optional<AnchorBreak> first_broken_anchor(const std::vector<v1::AuditEntry>& entries,
                                               const std::vector<AuditAnchor>& anchors);

}  // namespace puente::core
