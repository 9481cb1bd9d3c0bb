#include "store/token_store.hpp"

#include "store/replies.hpp"
#include "store/script_call.hpp"

#include <spdlog/spdlog.h>

namespace puente::store {

using redis::Reply;

namespace {

// notify-keyspace-events with what the token records need added: K (keyspace channels), g
// (DEL, RENAME, EXPIRE...), h (hash commands) and x (a key expired), unless A ("all") covers
// the last three.
std::string with_record_events(std::string flags) {
  const bool all = flags.find('A') != std::string::npos;
  for (char needed : {'K', 'g', 'h', 'x'})
    if (flags.find(needed) == std::string::npos && (needed == 'K' || !all)) flags += needed;
  return flags;
}

}  // namespace

void TokenStore::enable_record_events(std::function<void(RecordEvents)> done) {
  // Not reached (not connected, timed out) is worth another try; an answer refusing is not.
  auto outcome = [](auto ec) { return ec ? RecordEvents::unreachable : RecordEvents::refused; };
  redis_->execute({"CONFIG", "GET", "notify-keyspace-events"}, [redis = redis_, outcome,
                                                                done = std::move(done)](
                                                                   auto ec, Reply reply) mutable {
    if (failed(ec, reply, "read notify-keyspace-events")) return done(outcome(ec));
    if (reply.elements.size() != 2) return done(RecordEvents::refused);
    const auto& flags = reply.elements[1].str;
    auto wanted = with_record_events(flags);
    if (wanted == flags) return done(RecordEvents::announced);
    redis->execute(
        {"CONFIG", "SET", "notify-keyspace-events", wanted},
        [wanted, outcome, done = std::move(done)](auto ec, Reply reply) {
          if (failed(ec, reply, "set notify-keyspace-events")) return done(outcome(ec));
          spdlog::info(
              "tokens: Redis now announces changes to token records (notify-keyspace-events {})",
              wanted);
          done(RecordEvents::announced);
        });
  });
}

TokenStore::TokenStore(std::shared_ptr<redis::Connection> redis, Keys keys,
                       std::shared_ptr<ReplicationBarrier> replication)
    : redis_(std::move(redis)), keys_(std::move(keys)), replication_(std::move(replication)) {}

void TokenStore::save(const v1::IssuedToken& record, std::function<void(Outcome)> done) {
  v1::IssuedToken stored = record;
  stored.clear_token();  // the token text is never stored, whatever the caller left in it
  using Arg = lua::SaveToken::Arg;
  ScriptCall<lua::SaveToken> call;
  call.key(lua::SaveToken::Key::tokens, keys_.tokens())
      .arg(Arg::id, stored.id())
      .arg(Arg::record, stored.SerializeAsString())
      .arg(Arg::changes, keys_.token_changes());
  std::move(call).run(
      *redis_, [barrier = replication_, done = std::move(done)](auto ec, Reply reply) mutable {
        if (failed(ec, reply, "save token")) return done(Outcome::unavailable);
        // A revocation that a failover could undo would let the token back in.
        barrier->after_write([done = std::move(done)](bool stored) {
          done(stored ? Outcome::ok : Outcome::unavailable);
        });
      });
}

void TokenStore::load(const std::string& id,
                      std::function<void(Outcome, std::optional<v1::IssuedToken>)> done) {
  redis_->execute({"HGET", keys_.tokens(), id}, [done = std::move(done)](auto ec, Reply reply) {
    if (failed(ec, reply, "load token")) return done(Outcome::unavailable, std::nullopt);
    v1::IssuedToken record;
    if (reply.type != Reply::Type::string || !record.ParseFromString(reply.str))
      return done(Outcome::not_found, std::nullopt);
    done(Outcome::ok, std::move(record));
  });
}

void TokenStore::load_all(std::function<void(Outcome, std::vector<v1::IssuedToken>)> done) {
  redis_->execute({"HGETALL", keys_.tokens()}, [done = std::move(done)](auto ec, Reply reply) {
    std::vector<v1::IssuedToken> records;
    if (failed(ec, reply, "load tokens")) return done(Outcome::unavailable, records);
    // Field, value, field, value...
    for (std::size_t i = 1; i < reply.elements.size(); i += 2) {
      v1::IssuedToken record;
      if (record.ParseFromString(reply.elements[i].str)) records.push_back(std::move(record));
    }
    done(Outcome::ok, std::move(records));
  });
}

}  // namespace puente::store
