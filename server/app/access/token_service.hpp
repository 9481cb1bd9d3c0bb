#pragma once
// Issued bearer tokens: the admin API's side (issue, revoke, list) and every node's copy.
//
// Redis holds the records (store/token_store.hpp); each node keeps them in its TokenRegistry,
// loaded whole at start (retried until Redis answers), whenever the subscriber link comes back
// and every [tokens] reload_seconds (a minute), and updated one by one as the tokens:changed
// channel names them. A token revoked through any node is refused by every node one pub/sub hop
// later and its sockets are signed out; a node that missed the message catches up at the next whole
// load. Every second the node also signs out the sockets whose token has run out: it checks every
// socket only when a token can have stopped being usable (core/token_sweep.hpp), and otherwise just
// the sockets signed in since the last check (signed_in_sockets.hpp).
//
// Redis alone says which issued tokens exist: when the hash changes by any hand (HDEL, DEL, an
// HSET, a restored backup), Redis's keyspace notification makes every node load the whole hash
// again at once, and a token without a record is refused (without notifications, at the next
// whole load). Redis is not alone on revocations: each
// one the node learns of is also appended to its RevocationFile and kept by the registry, and a
// whole load that finds Redis without a revocation the node keeps logs it, records
// "token.revocation_restored" in the audit log and writes the revocation back.
//
// Redis access alone makes no token: the node that writes a record signs it (core/token_record.hpp)
// with the network's Ed25519 key, which is not in Redis (evidence/network_key.hpp: a file every
// node holds), and a node takes a record only if its signature holds under that key. A record
// without one (written by hand with HSET, or by a node before records were signed), or with one
// that no longer matches its fields, is refused: its token does not sign in (401), and the node
// reports it once: a log line naming the record's id and responder (never its hash), a
// "token.record_refused" audit entry, puente_token_records_refused_total. Only its revocation, if
// it holds one, is kept: a revocation can only take rights away.

#include "app/access/audit_trail.hpp"
#include "app/access/revocation_file.hpp"
#include "app/live/signed_in_sockets.hpp"
#include "app/refusal.hpp"
#include "core/metrics.hpp"
#include "core/token_registry.hpp"
#include "core/token_sweep.hpp"
#include "evidence/network_key.hpp"
#include "puente/v1/puente.pb.h"
#include "redis/subscriber.hpp"
#include "store/token_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace puente::app {

class TokenService : public std::enable_shared_from_this<TokenService> {
 public:
  TokenService(boost::asio::any_io_executor executor, const core::Roster& roster,
               core::TokenRegistry& registry, store::TokenStore& store,
               std::shared_ptr<redis::Subscriber> subscriber, SignedInSockets& sockets,
               AuditTrail& audit, RevocationFile& revocations, std::chrono::seconds reload_interval,
               const evidence::NetworkKey& key, core::Metrics& metrics);

  // The constructor keeps every revocation of the file (and throws if it cannot be read).
  // start() subscribes to token changes and loads every issued token.
  void start();
  void stop();

  // A fresh token for `request.responder_id`; the answer is the only place its text appears.
  void issue(const core::Responder& admin, const v1::TokenRequest& request,
             Done<v1::IssuedToken> done);
  // Revokes a token (issued, or a roster token by "roster-<id>") and signs out its sockets.
  void revoke(const core::Responder& admin, const std::string& token_id,
              Done<v1::IssuedToken> done);
  // Every token this node knows, without hashes; only `responder_id`'s if not empty.
  void list(const core::Responder& admin, const std::string& responder_id,
            Done<v1::TokenList> done);

  // Device tokens ("stay signed in" on one phone): a responder's own, issued for themselves in
  // exchange for a sign-in, named by `request.note`, expiring after `lifetime` ([push]
  // device_token_days; sooner if the request asks), audited and listed like any issued token
  // and revocable by an admin too.
  void issue_device(const core::Responder& who, const v1::TokenRequest& request,
                    std::chrono::seconds lifetime, Done<v1::IssuedToken> done);
  // `who`'s own device tokens that still sign in (not revoked, not expired), without hashes.
  void list_devices(const core::Responder& who, Done<v1::TokenList> done);
  // Revokes one of `who`'s own device tokens; not_found for any other token.
  void revoke_device(const core::Responder& who, const std::string& token_id,
                     Done<v1::IssuedToken> done);

 private:
  // Saves the record; `action` ("token.issue", "token.revoke") goes to the audit log by `admin`.
  void save(const core::Responder& admin, const char* action, v1::IssuedToken record,
            Done<v1::IssuedToken> done);
  // Saves a fresh token's record; the answer carries its text, this once.
  void save_new(const core::Responder& issuer, v1::IssuedToken token, std::string text,
                Done<v1::IssuedToken> done);
  void reload();
  // Redis's notifications for the tokens hash on: at start, each second until Redis answers,
  // and after every reconnect.
  void watch_records();
  // Keeps a revocation seen in a record Redis sent or took (and writes it to the file if new).
  void keep_if_revoked(const core::TokenRecord& record);
  // Revokes `token` (unless it already is) and saves it whole, its note and all.
  void revoke_issued(const core::Responder& admin, v1::IssuedToken token,
                     Done<v1::IssuedToken> done);
  // Writes back to Redis the revocations it lost; `issued` is what it holds, as `records` too.
  void restore_revocations(const std::vector<v1::IssuedToken>& issued,
                           const std::vector<core::TokenRecord>& records);
  void tick();
  // Checks every signed-in socket's token and signs out those no longer usable.
  void sign_out_unusable();
  // What a tick checks: every socket if the schedule says so, else those signed in since.
  void sweep_if_due();
  // Signs out the sockets whose token is not usable at `now`: of every socket, or of those
  // signed in since the last check (sweep_mutex_ held).
  void sign_out(bool every_socket, core::TokenRecord::TimePoint now);
  // Signs a record this node is about to save.
  void sign(v1::IssuedToken& record) const;
  // Does the record's signature hold? If not, reports it (once per record as it stands).
  bool signed_by_the_network(const v1::IssuedToken& record);

  boost::asio::steady_timer timer_;
  const core::Roster& roster_;
  core::TokenRegistry& registry_;
  store::TokenStore& store_;
  std::shared_ptr<redis::Subscriber> subscriber_;
  SignedInSockets& sockets_;
  AuditTrail& audit_;
  RevocationFile& revocations_;
  const evidence::NetworkKey& key_;
  core::Metrics& metrics_;
  std::mutex sweep_mutex_;  // one sweep at a time: the timer's and a change's
  core::TokenSweepSchedule sweeps_;
  std::mutex refused_mutex_;
  std::set<std::string> refused_;  // the refused records reported, by id and statement's hash
  std::string channel_;
  std::string record_events_;    // the tokens hash's keyspace channel
  unsigned reload_every_ticks_;  // a whole load each [tokens] reload_seconds
  unsigned ticks_ = 0;
  std::atomic<bool> loaded_{false};
  std::atomic<bool> watching_{false};  // Redis answered about its notifications (on, or refused)
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::app
