#pragma once
// The audit log in Redis: a stream of AuditEntry records and the head of the hash chain, moved
// together by one script that appends only to the head the entry was chained to (see
// app/access/audit_trail.hpp for who chains them).

#include "puente/v1/puente.pb.h"
#include "redis/connection.hpp"
#include "store/incident_store.hpp"
#include "store/keys.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::store {

struct AuditHead {
  std::uint64_t sequence = 0;  // 0: the log is empty
  std::string hash;

  std::string text() const { return sequence == 0 ? "" : std::to_string(sequence) + " " + hash; }
  static AuditHead parse(const std::string& text);
};

class AuditStore {
 public:
  AuditStore(std::shared_ptr<redis::Connection> redis, Keys keys);

  // `ok`, `conflict` with the head as it really is (another node appended first), or `repeated`
  // with the head: `node_id` appended the entry of `entry_key` last already (before a crash).
  void append(const AuditHead& follows, const v1::AuditEntry& entry, const std::string& node_id,
              const std::string& entry_key, std::function<void(Outcome, AuditHead)> done);
  void head(std::function<void(Outcome, AuditHead)> done);
  // Entries with sequence > after, oldest first, at most `limit`.
  void read(std::uint64_t after, std::size_t limit,
            std::function<void(Outcome, std::vector<v1::AuditEntry>)> done);
  // Records the roster's hash; `changed` if it differs from the one recorded before.
  void note_roster(const std::string& sha256, std::function<void(Outcome, bool changed)> done);

 private:
  std::shared_ptr<redis::Connection> redis_;
  Keys keys_;
};

}  // namespace puente::store
