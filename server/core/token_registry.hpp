#pragma once
// Which bearer tokens sign in whom, right now.
//
// Two sources: the roster's token_sha256 entries (id "roster-<responder id>", never expire) and
// the tokens issued through the admin API, which live in Redis and reach every node (see
// app/access/token_service.hpp). An issued record with the same hash as a roster token overrides
// it: that is how a roster token is revoked. Lookups hash the presented token and read an immutable
// table; a change builds a new table and swaps it in, so a sign-in never waits on a writer.
//
// Redis is the only word on which issued tokens exist: a whole reload drops every record Redis
// no longer holds, so an issued token whose record was deleted signs in no one. It is not the
// only word on revocations: those the node has seen are also kept (app/access/revocation_file.hpp)
// and fed back here with keep_revocation(), and no reload or update can un-revoke a kept hash, so
// neither a deleted record, a restored backup nor a stale replica brings a revoked token back.
//
// Each table has a generation (one more than the table it replaced) and the sorted expiry times of
// its unrevoked issued records, so the socket sweep (app/access/token_service.hpp) can tell when
// anything can have changed (a new table, or an expiry falling due) without checking every socket.

#include "core/roster.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::core {

struct TokenRecord {
  using TimePoint = std::chrono::system_clock::time_point;
  std::string id;
  std::string responder_id;
  std::string sha256;
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> revoked_at;

  bool usable_at(TimePoint now) const { return !revoked_at && (!expires_at || now < *expires_at); }
};

// "roster-<responder id>": the id a roster token goes by.
std::string roster_token_id(std::string_view responder_id);

enum class SignInFailure { missing, unknown, expired, revoked };

struct SignIn {
  const Responder* who = nullptr;  // set when the token is good
  std::string token_id;            // the token's id (also on failure when it is known)
  std::optional<SignInFailure> failure;
};

class TokenRegistry {
 public:
  using TimePoint = TokenRecord::TimePoint;

  explicit TokenRegistry(const Roster& roster);

  SignIn sign_in(std::string_view token, TimePoint now) const;
  // The same, by a digest already taken (one hash a request, whatever asks after the token).
  SignIn sign_in(const PresentedToken& token, TimePoint now) const;
  // Still good at `now` (a socket that signed in with it stays open only while it is). Reads the
  // record where it lies: a sweep asks this of every signed-in token.
  bool usable(const std::string& token_id, TimePoint now) const;
  // The record of a token by id: issued, or a roster token as the roster gives it.
  std::optional<TokenRecord> find(const std::string& token_id) const;
  // Every token: roster tokens (with their issued override, if any) and issued ones.
  std::vector<TokenRecord> all() const;

  // Counts the changes: any record replaced, added, revoked or kept as revoked makes it grow.
  std::uint64_t generation() const;
  // The earliest expiry after `now` of an issued record that is not revoked: until then, and
  // while the generation stays, no token can stop being usable. nullopt: none expires.
  std::optional<TimePoint> next_expiry_after(TimePoint now) const;

  // Every issued record Redis holds (a full reload), or one that changed.
  void replace_issued(std::vector<TokenRecord> issued);
  void update_issued(TokenRecord record);

  // Keeps a revoked record (by its hash) whatever Redis says from now on. True if it was not
  // kept yet: the caller then writes it down where Redis cannot undo it.
  bool keep_revocation(TokenRecord revoked);
  // The kept revocations that `issued` (what Redis holds) lacks or shows unrevoked; not those
  // whose id Redis holds for another token that is revoked too (a later revocation of a roster
  // token the roster replaced: writing the old one back would undo the newer).
  std::vector<TokenRecord> revocations_missing_from(const std::vector<TokenRecord>& issued) const;

 private:
  struct Table {
    std::unordered_map<std::string, TokenRecord> by_id;  // issued records, and kept revocations
    std::unordered_map<std::string, std::string> id_by_hash;
    // Kept revocations by hash: checked first by every sign-in and socket sweep, whatever
    // by_id says (Redis may hold another record under the same id, or an unrevoked copy).
    std::unordered_map<std::string, TokenRecord> kept;
    std::uint64_t generation = 0;
    std::vector<TimePoint> expiries;  // of the unrevoked records in by_id, ascending
  };
  // Where the record a token id names lies, without a copy: the issued record, or the roster's
  // responder whose token it is (an issued record of a roster token the roster has since
  // replaced speaks of the old token, so the roster's stands).
  struct Located {
    const TokenRecord* issued = nullptr;
    const Responder* roster = nullptr;
    const std::string& sha256() const { return issued ? issued->sha256 : roster->token_sha256; }
  };
  Located locate(const Table& table, const std::string& token_id) const;
  // The responder a roster token id ("roster-<id>") names, if it has a roster token.
  const Responder* roster_holder(std::string_view token_id) const;
  std::shared_ptr<const Table> table() const;
  // Puts `record` in the table, revoked if its hash is kept as revoked.
  static void put(Table& table, TokenRecord record);
  // Swaps `next` in as the next generation, its expiries listed (mutex_ held).
  void swap_in(std::shared_ptr<Table> next);
  // Builds the table from `issued` and the kept revocations, and swaps it in.
  void install(std::vector<TokenRecord> issued);

  const Roster& roster_;
  mutable std::mutex mutex_;  // guards the pointer; writers hold it while they build the next table
  std::shared_ptr<const Table> table_;
};

}  // namespace puente::core
