#pragma once
// Issued bearer tokens: the admin API's side (issue, revoke, list) and every node's copy.
//
// Redis holds the records (store/token_store.hpp); each node keeps them in its TokenRegistry,
// loaded whole at start (retried until Redis answers), whenever the subscriber link comes back
// and every minute, and updated one by one as the tokens:changed channel names them. A token
// revoked through any node is refused by every node one pub/sub hop later and its sockets are
// signed out; a node that missed the message catches up at the next whole load. Every second
// the node also signs out the sockets whose token has run out.

#include "app/audit_trail.hpp"
#include "app/refusal.hpp"
#include "app/signed_in_sockets.hpp"
#include "core/token_registry.hpp"
#include "puente/v1/puente.pb.h"
#include "redis/subscriber.hpp"
#include "store/token_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace puente::app {

class TokenService : public std::enable_shared_from_this<TokenService> {
 public:
  TokenService(boost::asio::any_io_executor executor, const core::Roster& roster, core::TokenRegistry& registry,
               store::TokenStore& store, std::shared_ptr<redis::Subscriber> subscriber, SignedInSockets& sockets,
               AuditTrail& audit);

  // Subscribes to token changes and loads every issued token.
  void start();
  void stop();

  // A fresh token for `request.responder_id`; the answer is the only place its text appears.
  void issue(const core::Responder& admin, const v1::TokenRequest& request, Done<v1::IssuedToken> done);
  // Revokes a token (issued, or a roster token by "roster-<id>") and signs out its sockets.
  void revoke(const core::Responder& admin, const std::string& token_id, Done<v1::IssuedToken> done);
  // Every token this node knows, without hashes; only `responder_id`'s if not empty.
  void list(const core::Responder& admin, const std::string& responder_id, Done<v1::TokenList> done);

 private:
  // Saves the record; `action` ("token.issue", "token.revoke") goes to the audit log by `admin`.
  void save(const core::Responder& admin, const char* action, v1::IssuedToken record, Done<v1::IssuedToken> done);
  void reload();
  void tick();
  void sign_out_unusable();

  boost::asio::steady_timer timer_;
  const core::Roster& roster_;
  core::TokenRegistry& registry_;
  store::TokenStore& store_;
  std::shared_ptr<redis::Subscriber> subscriber_;
  SignedInSockets& sockets_;
  AuditTrail& audit_;
  std::string channel_;
  unsigned ticks_ = 0;
  std::atomic<bool> loaded_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::app
