#include "core/token_registry.hpp"

#include <algorithm>

namespace puente::core {

namespace {

constexpr std::string_view roster_prefix = "roster-";

}  // namespace

std::string roster_token_id(std::string_view responder_id) {
  return std::string(roster_prefix) + std::string(responder_id);
}

TokenRegistry::TokenRegistry(const Roster& roster)
    : roster_(roster), table_(std::make_shared<const Table>()) {}

std::shared_ptr<const TokenRegistry::Table> TokenRegistry::table() const {
  std::lock_guard lock(mutex_);
  return table_;
}

SignIn TokenRegistry::sign_in(std::string_view token, TimePoint now) const {
  return sign_in(PresentedToken(token), now);
}

SignIn TokenRegistry::sign_in(const PresentedToken& token, TimePoint now) const {
  if (token.empty()) return {nullptr, {}, SignInFailure::missing};
  const auto& hash = token.sha256_hex();
  const auto table = this->table();
  if (auto kept = table->kept.find(hash); kept != table->kept.end())
    return {nullptr, kept->second.id, SignInFailure::revoked};
  if (auto it = table->id_by_hash.find(hash); it != table->id_by_hash.end()) {
    const auto& record = table->by_id.at(it->second);
    if (record.revoked_at) return {nullptr, record.id, SignInFailure::revoked};
    if (!record.usable_at(now)) return {nullptr, record.id, SignInFailure::expired};
    // A token issued to someone who has since left the roster signs in no one.
    const auto* who = roster_.find(record.responder_id);
    if (!who) return {nullptr, record.id, SignInFailure::unknown};
    return {who, record.id, std::nullopt};
  }
  if (const auto* who = roster_.authenticate(token))
    return {who, roster_token_id(who->id), std::nullopt};
  return {nullptr, {}, SignInFailure::unknown};
}

bool TokenRegistry::usable(const std::string& token_id, TimePoint now) const {
  const auto table = this->table();
  const auto found = locate(*table, token_id);
  if (!found.issued && !found.roster) return false;
  if (found.issued && !found.issued->usable_at(now)) return false;
  // A kept revocation refuses the token whatever the record says (Table::kept).
  return !table->kept.contains(found.sha256());
}

std::optional<TokenRecord> TokenRegistry::find(const std::string& token_id) const {
  const auto table = this->table();
  const auto found = locate(*table, token_id);
  std::optional<TokenRecord> record;
  if (found.issued)
    record = *found.issued;
  else if (found.roster)
    record = TokenRecord{token_id, found.roster->id, found.roster->token_sha256, std::nullopt,
                         std::nullopt};
  if (record && !record->revoked_at)
    if (auto kept = table->kept.find(record->sha256); kept != table->kept.end())
      record->revoked_at = kept->second.revoked_at;
  return record;
}

TokenRegistry::Located TokenRegistry::locate(const Table& table,
                                             const std::string& token_id) const {
  Located found{nullptr, roster_holder(token_id)};
  if (auto it = table.by_id.find(token_id); it != table.by_id.end())
    if (!found.roster || found.roster->token_sha256 == it->second.sha256)
      found.issued = &it->second;
  return found;
}

const Responder* TokenRegistry::roster_holder(std::string_view token_id) const {
  if (!token_id.starts_with(roster_prefix)) return nullptr;
  const auto* responder = roster_.find(token_id.substr(roster_prefix.size()));
  return responder && !responder->token_sha256.empty() ? responder : nullptr;
}

std::uint64_t TokenRegistry::generation() const { return table()->generation; }

std::optional<TokenRegistry::TimePoint> TokenRegistry::next_expiry_after(TimePoint now) const {
  const auto table = this->table();
  auto it = std::upper_bound(table->expiries.begin(), table->expiries.end(), now);
  if (it == table->expiries.end()) return std::nullopt;
  return *it;
}

std::vector<TokenRecord> TokenRegistry::all() const {
  const auto table = this->table();
  std::vector<TokenRecord> records;
  for (const auto& responder : roster_.responders()) {
    auto id = roster_token_id(responder.id);
    if (!responder.token_sha256.empty() && !table->by_id.contains(id))
      records.push_back({id, responder.id, responder.token_sha256, std::nullopt, std::nullopt});
  }
  for (const auto& [id, record] : table->by_id) records.push_back(record);
  return records;
}

void TokenRegistry::put(Table& table, TokenRecord record) {
  if (auto kept = table.kept.find(record.sha256); kept != table.kept.end() && !record.revoked_at)
    record.revoked_at = kept->second.revoked_at;
  if (auto old = table.by_id.find(record.id);
      old != table.by_id.end() && old->second.sha256 != record.sha256)
    table.id_by_hash.erase(old->second.sha256);
  table.id_by_hash[record.sha256] = record.id;
  table.by_id[record.id] = std::move(record);
}

void TokenRegistry::install(std::vector<TokenRecord> issued) {
  std::lock_guard lock(mutex_);
  auto table = std::make_shared<Table>();
  table->kept = table_->kept;
  for (auto& record : issued) put(*table, std::move(record));
  // A kept revocation Redis lost is listed still (unless Redis holds another token under its
  // id); its token is refused either way (Table::kept).
  for (const auto& [hash, record] : table->kept)
    if (!table->id_by_hash.contains(hash) && !table->by_id.contains(record.id)) put(*table, record);
  swap_in(std::move(table));
}

void TokenRegistry::swap_in(std::shared_ptr<Table> next) {
  next->generation = table_->generation + 1;
  next->expiries.clear();
  for (const auto& [id, record] : next->by_id)
    if (record.expires_at && !record.revoked_at) next->expiries.push_back(*record.expires_at);
  std::sort(next->expiries.begin(), next->expiries.end());
  table_ = std::move(next);
}

void TokenRegistry::replace_issued(std::vector<TokenRecord> issued) { install(std::move(issued)); }

void TokenRegistry::update_issued(TokenRecord record) {
  std::lock_guard lock(mutex_);
  auto table = std::make_shared<Table>(*table_);
  put(*table, std::move(record));
  swap_in(std::move(table));
}

bool TokenRegistry::keep_revocation(TokenRecord revoked) {
  if (!revoked.revoked_at) return false;
  std::lock_guard lock(mutex_);
  if (table_->kept.contains(revoked.sha256)) return false;
  auto table = std::make_shared<Table>(*table_);
  table->kept.emplace(revoked.sha256, revoked);
  put(*table, std::move(revoked));
  swap_in(std::move(table));
  return true;
}

std::vector<TokenRecord> TokenRegistry::revocations_missing_from(
    const std::vector<TokenRecord>& issued) const {
  std::unordered_map<std::string_view, const TokenRecord*> by_id;
  for (const auto& record : issued) by_id[record.id] = &record;
  std::vector<TokenRecord> missing;
  for (const auto& [hash, kept] : table()->kept) {
    auto it = by_id.find(kept.id);
    if (it == by_id.end()) {
      missing.push_back(kept);  // deleted
    } else if (it->second->sha256 == hash) {
      if (!it->second->revoked_at) missing.push_back(kept);  // there, unrevoked
    } else if (!it->second->revoked_at) {
      missing.push_back(kept);  // its id given to an unrevoked other token: no admin path does that
    }
  }
  return missing;
}

}  // namespace puente::core
