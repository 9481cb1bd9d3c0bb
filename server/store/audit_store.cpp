#include "store/audit_store.hpp"

#include "store/replies.hpp"
#include "store/script_call.hpp"

#include <cstdlib>

namespace puente::store {

using redis::Reply;

AuditHead AuditHead::parse(const std::string& text) {
  AuditHead head;
  auto space = text.find(' ');
  if (space == std::string::npos) return head;
  head.sequence = std::strtoull(text.c_str(), nullptr, 10);
  head.hash = text.substr(space + 1);
  return head;
}

AuditStore::AuditStore(std::shared_ptr<redis::Connection> redis, Keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

void AuditStore::append(const AuditHead& follows, const v1::AuditEntry& entry,
                        const std::string& node_id, const std::string& entry_key,
                        std::function<void(Outcome, AuditHead)> done) {
  AuditHead next{entry.sequence(), entry.hash()};
  using Arg = lua::AppendAudit::Arg;
  ScriptCall<lua::AppendAudit> call;
  call.key(lua::AppendAudit::Key::stream, keys_.audit())
      .key(lua::AppendAudit::Key::head_key, keys_.audit_head())
      .key(lua::AppendAudit::Key::appended, keys_.audit_appended())
      .arg(Arg::follows, follows.text())
      .arg(Arg::entry, entry.SerializeAsString())
      .arg(Arg::new_head, next.text())
      .arg(Arg::stream_id, std::to_string(entry.sequence()) + "-1")
      .arg(Arg::node, node_id)
      .arg(Arg::entry_key, entry_key);
  std::move(call).run(*redis_, [next, done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "append audit entry")) return done(Outcome::unavailable, {});
    if (reply.elements.size() >= 2 && reply.elements[0].str == "stale")
      return done(Outcome::conflict, AuditHead::parse(reply.elements[1].str));
    if (reply.elements.size() >= 2 && reply.elements[0].str == "duplicate")
      return done(Outcome::repeated, AuditHead::parse(reply.elements[1].str));
    done(Outcome::ok, next);
  });
}

void AuditStore::head(std::function<void(Outcome, AuditHead)> done) {
  redis_->execute({"GET", keys_.audit_head()}, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "audit head")) return done(Outcome::unavailable, {});
    done(Outcome::ok, AuditHead::parse(reply.str));
  });
}

void AuditStore::read(std::uint64_t after, std::size_t limit,
                      std::function<void(Outcome, std::vector<v1::AuditEntry>)> done) {
  redis_->execute({"XRANGE", keys_.audit(), std::to_string(after + 1) + "-0", "+", "COUNT",
                   std::to_string(limit)},
                  [done = std::move(done)](auto ec, Reply reply) {
                    std::vector<v1::AuditEntry> entries;
                    if (failed(ec, reply, "read audit")) return done(Outcome::unavailable, entries);
                    // Each: [id, ["pb", bytes]].
                    for (const auto& row : reply.elements) {
                      if (row.elements.size() < 2 || row.elements[1].elements.size() < 2) continue;
                      v1::AuditEntry entry;
                      // An entry that does not parse is kept as an empty one: verify must see the
                      // gap.
                      entry.ParseFromString(row.elements[1].elements[1].str);
                      entries.push_back(std::move(entry));
                    }
                    done(Outcome::ok, std::move(entries));
                  });
}

void AuditStore::note_roster(const std::string& sha256, std::function<void(Outcome, bool)> done) {
  redis_->execute({"SET", keys_.audit_roster(), sha256, "GET"},
                  [sha256, done = std::move(done)](auto ec, Reply reply) {
                    if (failed(ec, reply, "note roster")) return done(Outcome::unavailable, false);
                    done(Outcome::ok, reply.str != sha256);
                  });
}

}  // namespace puente::store
