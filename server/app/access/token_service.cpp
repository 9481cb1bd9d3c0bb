#include "app/access/token_service.hpp"

#include "core/access.hpp"
#include "core/bearer_token.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/token_record.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <set>

namespace puente::app {

namespace {

using namespace std::chrono_literals;

constexpr auto sweep_every = 1s;
constexpr std::int64_t longest_life_seconds = 366LL * 24 * 3600;
constexpr std::size_t longest_note = 200;

core::TokenRecord to_record(const v1::IssuedToken& token) {
  core::TokenRecord record{token.id(), token.responder_id(), token.token_sha256(), std::nullopt,
                           std::nullopt};
  if (token.has_expires_at()) record.expires_at = core::to_time_point(token.expires_at());
  if (token.has_revoked_at()) record.revoked_at = core::to_time_point(token.revoked_at());
  return record;
}

// What an answer may say about a token: never its hash (nor the record's signature).
v1::IssuedToken shown(v1::IssuedToken token) {
  token.clear_token_sha256();
  token.clear_signature();
  return token;
}

v1::IssuedToken from_record(const core::TokenRecord& record) {
  v1::IssuedToken token;
  token.set_id(record.id);
  token.set_responder_id(record.responder_id);
  token.set_token_sha256(record.sha256);
  if (record.expires_at) *token.mutable_expires_at() = core::to_timestamp(*record.expires_at);
  if (record.revoked_at) *token.mutable_revoked_at() = core::to_timestamp(*record.revoked_at);
  return token;
}

}  // namespace

TokenService::TokenService(boost::asio::any_io_executor executor, const core::Roster& roster,
                           core::TokenRegistry& registry, store::TokenStore& store,
                           std::shared_ptr<redis::Subscriber> subscriber, SignedInSockets& sockets,
                           AuditTrail& audit, RevocationFile& revocations,
                           std::chrono::seconds reload_interval, const evidence::NetworkKey& key,
                           core::Metrics& metrics)
    // A strand of its own: stop()'s cancel and the next wait never touch the timer at once.
    : timer_(boost::asio::make_strand(executor)),
      roster_(roster),
      registry_(registry),
      store_(store),
      subscriber_(std::move(subscriber)),
      sockets_(sockets),
      audit_(audit),
      revocations_(revocations),
      key_(key),
      metrics_(metrics),
      channel_(store.keys().token_changes()),
      record_events_(store.record_events_channel()),
      reload_every_ticks_(
          static_cast<unsigned>(std::max<std::int64_t>(1, reload_interval / sweep_every))) {
  auto kept = revocations_.read();
  for (auto& record : kept) registry_.keep_revocation(std::move(record));
  spdlog::info("tokens: {} revocations kept in {}", kept.size(), revocations_.path().string());
}

void TokenService::start() {
  std::weak_ptr<TokenService> weak = weak_from_this();
  subscriber_->on_message([weak](const std::string& channel, const std::string& message) {
    auto self = weak.lock();
    if (!self) return;
    // Any change to the hash (HDEL, DEL, an HSET by hand, a restore; the save script's own
    // HSET too, cheaply): the whole hash again, so a token Redis no longer holds is refused now.
    if (channel == self->record_events_) return self->reload();
    if (channel != self->channel_) return;
    self->store_.load(message,
                      [weak](store::Outcome outcome, std::optional<v1::IssuedToken> token) {
                        auto self = weak.lock();
                        if (!self || outcome != store::Outcome::ok || !token) return;
                        if (!self->signed_by_the_network(*token))
                          return self->keep_if_revoked(to_record(*token));
                        self->keep_if_revoked(to_record(*token));
                        self->registry_.update_issued(to_record(*token));
                        self->sign_out_unusable();
                      });
  });
  subscriber_->on_resubscribed([weak] {
    if (auto self = weak.lock()) {
      self->watching_ = false;  // a failover may have brought a Redis without the setting
      self->watch_records();
      self->reload();
    }
  });
  subscriber_->subscribe({channel_, record_events_});
  watch_records();
  reload();
  tick();
}

void TokenService::watch_records() {
  using RecordEvents = store::TokenStore::RecordEvents;
  store_.enable_record_events([weak = weak_from_this()](RecordEvents events) {
    auto self = weak.lock();
    if (!self || events == RecordEvents::unreachable) return;  // the next tick tries again
    // Changes made before Redis announced them are caught by one more whole load.
    if (!self->watching_.exchange(true) && events == RecordEvents::announced) self->reload();
    if (events == RecordEvents::refused)
      spdlog::warn(
          "tokens: Redis does not announce changes to token records (set notify-keyspace-events "
          "Kghx, "
          "see deploy/redis/redis.conf): a deleted record's token is refused only at the next "
          "whole load");
  });
}

void TokenService::keep_if_revoked(const core::TokenRecord& record) {
  if (record.revoked_at && registry_.keep_revocation(record)) revocations_.append(record);
}

void TokenService::restore_revocations(const std::vector<v1::IssuedToken>& issued,
                                       const std::vector<core::TokenRecord>& records) {
  for (const auto& kept : registry_.revocations_missing_from(records)) {
    // What Redis still holds of the record (a restored backup's unrevoked copy), or the kept one.
    auto restored = from_record(kept);
    const char* found = "no record";
    for (const auto& token : issued) {
      if (token.id() != kept.id) continue;
      found = "a record not revoked";
      if (token.token_sha256() == kept.sha256) restored = token;
    }
    *restored.mutable_revoked_at() = core::to_timestamp(*kept.revoked_at);
    sign(restored);
    spdlog::warn(
        "tokens: Redis lost the revocation of token {} (for {}; it held {}); it stays revoked and "
        "is written back",
        kept.id, kept.responder_id, found);
    audit_.record("", "token.revocation_restored", kept.id,
                  "for " + kept.responder_id + ": Redis held " + found);
    store_.save(restored, [id = kept.id](store::Outcome outcome) {
      if (outcome != store::Outcome::ok)
        spdlog::warn("tokens: revocation of {} not written back yet", id);
    });
  }
}

void TokenService::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void TokenService::reload() {
  store_.load_all(
      [weak = weak_from_this()](store::Outcome outcome, std::vector<v1::IssuedToken> tokens) {
        auto self = weak.lock();
        if (!self || outcome != store::Outcome::ok) return;  // the next tick tries again
        // A record without a valid signature is left out: its token is unknown, so refused. Its
        // revocation, if it holds one, still counts: a revocation only takes rights away (a
        // revoked roster token's record written before records were signed stays revoked).
        std::erase_if(tokens, [&](const v1::IssuedToken& token) {
          if (self->signed_by_the_network(token)) return false;
          self->keep_if_revoked(to_record(token));
          return true;
        });
        std::vector<core::TokenRecord> records;
        for (const auto& token : tokens) {
          records.push_back(to_record(token));
          self->keep_if_revoked(records.back());
        }
        self->restore_revocations(tokens, records);
        self->registry_.replace_issued(std::move(records));
        if (!self->loaded_.exchange(true))
          spdlog::info("tokens: {} issued tokens loaded", tokens.size());
        self->sign_out_unusable();
      });
}

void TokenService::tick() {
  if (stopped_) return;
  timer_.expires_after(sweep_every);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    // Until the first whole load succeeds, try it every second.
    if (!self->loaded_ || ++self->ticks_ % self->reload_every_ticks_ == 0) self->reload();
    if (!self->watching_) self->watch_records();
    self->sweep_if_due();
    self->tick();
  });
}

void TokenService::sign_out_unusable() {
  std::lock_guard lock(sweep_mutex_);
  // The generation before the check: a change made during it leaves the next tick due.
  const auto generation = registry_.generation();
  const auto now = core::Clock::now();
  sign_out(true, now);
  sweeps_.swept(generation, registry_.next_expiry_after(now));
}

void TokenService::sweep_if_due() {
  {
    std::lock_guard lock(sweep_mutex_);
    const auto now = core::Clock::now();
    if (!sweeps_.due(registry_.generation(), now)) return sign_out(false, now);
  }
  sign_out_unusable();
}

void TokenService::sign_out(bool every_socket, core::TokenRecord::TimePoint now) {
  auto keep = [&](const std::string& id) { return registry_.usable(id, now); };
  auto why = [&](const std::string& id) {
    auto record = registry_.find(id);
    return sign_in_refusal(record && record->revoked_at ? core::SignInFailure::revoked
                                                        : core::SignInFailure::expired);
  };
  auto signed_out = every_socket ? sockets_.sign_out_unless(keep, why)
                                 : sockets_.sign_out_added_unless(keep, why);
  if (signed_out > 0)
    spdlog::info("tokens: {} sockets signed out (token revoked or expired)", signed_out);
}

void TokenService::issue(const core::Responder& admin, const v1::TokenRequest& request,
                         Done<v1::IssuedToken> done) {
  if (!core::may(admin, core::Action::administer))
    return done(Refusal::forbidden("only admins manage tokens"), {});
  if (!roster_.find(request.responder_id()))
    return done(Refusal{RefusalKind::unknown_responder,
                        "no responder \"" + request.responder_id() + "\" in the roster"},
                {});
  if (request.expires_in_seconds() < 0 || request.expires_in_seconds() > longest_life_seconds)
    return done(
        Refusal{RefusalKind::bad_expiry, "expiresInSeconds must be 0 (never) to 31622400 (a year)"},
        {});
  if (request.note().size() > longest_note)
    return done(Refusal{RefusalKind::note_too_long, "the note may hold 200 bytes"}, {});

  auto now = core::Clock::now();
  auto text = core::new_bearer_token();
  v1::IssuedToken token;
  token.set_id(core::new_id("tok"));
  token.set_responder_id(request.responder_id());
  token.set_token_sha256(core::sha256_hex(text));
  *token.mutable_created_at() = core::to_timestamp(now);
  if (request.expires_in_seconds() > 0)
    *token.mutable_expires_at() =
        core::to_timestamp(now + std::chrono::seconds(request.expires_in_seconds()));
  token.set_note(request.note());
  token.set_issued_by(admin.id);
  save_new(admin, std::move(token), std::move(text), std::move(done));
}

void TokenService::save_new(const core::Responder& issuer, v1::IssuedToken token, std::string text,
                            Done<v1::IssuedToken> done) {
  save(issuer, "token.issue", std::move(token),
       [text = std::move(text), done = std::move(done)](MaybeRefusal refusal,
                                                        v1::IssuedToken saved) {
         if (!refusal) saved.set_token(text);  // the one time the token is shown
         done(std::move(refusal), std::move(saved));
       });
}

void TokenService::issue_device(const core::Responder& who, const v1::TokenRequest& request,
                                std::chrono::seconds lifetime, Done<v1::IssuedToken> done) {
  if (!request.responder_id().empty() && request.responder_id() != who.id)
    return done(Refusal::forbidden("a device token is for its own responder only; an admin "
                                   "issues tokens for others (POST /v1/admin/tokens)"),
                {});
  if (request.note().empty() || request.note().size() > longest_note)
    return done(Refusal::bad_input({"bad_device", "note must name the device, 1 to 200 bytes"}),
                {});
  if (request.expires_in_seconds() < 0 || request.expires_in_seconds() > lifetime.count())
    return done(Refusal{RefusalKind::bad_expiry, "expiresInSeconds must be 0 (the longest) to " +
                                                     std::to_string(lifetime.count())},
                {});
  const auto now = core::Clock::now();
  const auto life = request.expires_in_seconds() > 0
                        ? std::chrono::seconds(request.expires_in_seconds())
                        : lifetime;
  auto text = core::new_bearer_token();
  v1::IssuedToken token;
  token.set_id(core::new_id("tok"));
  token.set_responder_id(who.id);
  token.set_token_sha256(core::sha256_hex(text));
  *token.mutable_created_at() = core::to_timestamp(now);
  *token.mutable_expires_at() = core::to_timestamp(now + life);
  token.set_note(request.note());
  token.set_issued_by(who.id);
  token.set_device(true);
  save_new(who, std::move(token), std::move(text), std::move(done));
}

void TokenService::list_devices(const core::Responder& who, Done<v1::TokenList> done) {
  store_.load_all(
      [&who, done = std::move(done)](store::Outcome outcome, std::vector<v1::IssuedToken> issued) {
        if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
        // Those that still sign in: a revoked or expired one is of no use to its phone.
        const auto now = core::Clock::now();
        v1::TokenList list;
        for (auto& token : issued)
          if (token.device() && token.responder_id() == who.id && !token.has_revoked_at() &&
              core::to_time_point(token.expires_at()) > now)
            *list.add_tokens() = shown(std::move(token));
        std::sort(list.mutable_tokens()->begin(), list.mutable_tokens()->end(),
                  [](const auto& a, const auto& b) {
                    return core::to_ms(a.created_at()) < core::to_ms(b.created_at());
                  });
        done(std::nullopt, std::move(list));
      });
}

void TokenService::revoke_device(const core::Responder& who, const std::string& token_id,
                                 Done<v1::IssuedToken> done) {
  // From Redis, which alone says whether a token is a device token; another's, or one that is
  // no device token, is "no such" token: its existence is not the caller's to know.
  store_.load(token_id, [self = shared_from_this(), &who, token_id, done = std::move(done)](
                            store::Outcome outcome, std::optional<v1::IssuedToken> token) mutable {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (!token || !token->device() || token->responder_id() != who.id)
      return done(Refusal::not_found("you have no device token \"" + token_id + "\""), {});
    self->revoke_issued(who, std::move(*token), std::move(done));
  });
}

void TokenService::revoke(const core::Responder& admin, const std::string& token_id,
                          Done<v1::IssuedToken> done) {
  if (!core::may(admin, core::Action::administer))
    return done(Refusal::forbidden("only admins manage tokens"), {});
  // Revoking twice changes nothing: the first revocation time stands.
  if (auto record = registry_.find(token_id); record && record->revoked_at)
    return done(std::nullopt, shown(from_record(*record)));
  // The whole record from Redis (issued through another node a moment ago, perhaps), so the
  // revoked token still says what it was for; a roster token has none before its first
  // revocation, and the registry's stands in.
  store_.load(token_id, [self = shared_from_this(), &admin, token_id, done = std::move(done)](
                            store::Outcome outcome, std::optional<v1::IssuedToken> token) mutable {
    if (outcome == store::Outcome::unavailable) return done(Refusal::unavailable(), {});
    if (token) return self->revoke_issued(admin, std::move(*token), std::move(done));
    if (auto record = self->registry_.find(token_id))
      return self->revoke_issued(admin, from_record(*record), std::move(done));
    done(Refusal::not_found("no token \"" + token_id + "\""), {});
  });
}

void TokenService::revoke_issued(const core::Responder& admin, v1::IssuedToken token,
                                 Done<v1::IssuedToken> done) {
  if (token.has_revoked_at()) return done(std::nullopt, shown(std::move(token)));
  *token.mutable_revoked_at() = core::to_timestamp(core::Clock::now());
  save(admin, "token.revoke", std::move(token), std::move(done));
}

void TokenService::save(const core::Responder& admin, const char* action, v1::IssuedToken token,
                        Done<v1::IssuedToken> done) {
  sign(token);
  store_.save(token, [self = shared_from_this(), &admin, action, token,
                      done = std::move(done)](store::Outcome outcome) {
    if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
    self->audit_.record(admin.id, action, token.id(), "for " + token.responder_id());
    // This node need not wait for its own message on the channel.
    self->keep_if_revoked(to_record(token));
    self->registry_.update_issued(to_record(token));
    self->sign_out_unusable();
    done(std::nullopt, shown(token));
  });
}

void TokenService::sign(v1::IssuedToken& record) const {
  record.set_signature(key_.sign(core::token_record_statement(record)));
}

bool TokenService::signed_by_the_network(const v1::IssuedToken& record) {
  const auto statement = core::token_record_statement(record);
  if (key_.verifies(statement, record.signature())) return true;
  {
    std::lock_guard lock(refused_mutex_);
    if (!refused_.insert(record.id() + " " + core::sha256_hex(statement)).second) return false;
  }
  const char* why = record.signature().empty() ? "no signature" : "a signature that does not hold";
  // The record's id and responder, never its token hash.
  spdlog::error(
      "tokens: refused token record {} (for {}) in Redis: it carries {} under the network's key; "
      "it was not written by a node (or by one before records were signed: re-issue it)",
      record.id(), record.responder_id(), why);
  metrics_.token_records_refused.inc();
  audit_.record("", "token.record_refused", record.id(),
                "for " + record.responder_id() + ": " + why);
  return false;
}

void TokenService::list(const core::Responder& admin, const std::string& responder_id,
                        Done<v1::TokenList> done) {
  if (!core::may(admin, core::Action::administer))
    return done(Refusal::forbidden("only admins manage tokens"), {});
  store_.load_all([self = shared_from_this(), responder_id, done = std::move(done)](
                      store::Outcome outcome, std::vector<v1::IssuedToken> issued) {
    if (outcome != store::Outcome::ok) return done(Refusal::unavailable(), {});
    v1::TokenList list;
    std::set<std::string> listed;
    for (auto& token : issued) {
      // A record the network's key did not sign lists as nothing (the audit log names it); its
      // revocation still counts, as everywhere.
      if (!token.has_revoked_at() && !self->signed_by_the_network(token)) continue;
      listed.insert(token.id());
      if (responder_id.empty() || token.responder_id() == responder_id)
        *list.add_tokens() = shown(std::move(token));
    }
    // Roster tokens never revoked have no record in Redis: the roster is theirs.
    for (const auto& record : self->registry_.all())
      if (!listed.contains(record.id) &&
          (responder_id.empty() || record.responder_id == responder_id))
        *list.add_tokens() = shown(from_record(record));
    done(std::nullopt, std::move(list));
  });
}

}  // namespace puente::app
