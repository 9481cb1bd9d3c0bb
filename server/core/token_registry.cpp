#include "core/token_registry.hpp"

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
  if (token.empty()) return {nullptr, {}, SignInFailure::missing};
  const auto hash = sha256_hex(token);
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
  auto record = find(token_id);
  return record && record->usable_at(now);
}

std::optional<TokenRecord> TokenRegistry::find(const std::string& token_id) const {
  const auto table = this->table();
  auto record = roster_record(token_id);
  // A record of a roster token that the roster has since replaced speaks of the old token.
  if (auto it = table->by_id.find(token_id); it != table->by_id.end())
    if (!record || record->sha256 == it->second.sha256) record = it->second;
  if (record && !record->revoked_at)
    if (auto kept = table->kept.find(record->sha256); kept != table->kept.end())
      record->revoked_at = kept->second.revoked_at;
  return record;
}

std::optional<TokenRecord> TokenRegistry::roster_record(std::string_view token_id) const {
  // A roster token by its responder: a sweep asks this for every socket every second.
  if (!token_id.starts_with(roster_prefix)) return std::nullopt;
  const auto* responder = roster_.find(token_id.substr(roster_prefix.size()));
  if (!responder || responder->token_sha256.empty()) return std::nullopt;
  return TokenRecord{std::string(token_id), responder->id, responder->token_sha256, std::nullopt,
                     std::nullopt};
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
  table_ = std::move(table);
}

void TokenRegistry::replace_issued(std::vector<TokenRecord> issued) { install(std::move(issued)); }

void TokenRegistry::update_issued(TokenRecord record) {
  std::lock_guard lock(mutex_);
  auto table = std::make_shared<Table>(*table_);
  put(*table, std::move(record));
  table_ = std::move(table);
}

bool TokenRegistry::keep_revocation(TokenRecord revoked) {
  if (!revoked.revoked_at) return false;
  std::lock_guard lock(mutex_);
  if (table_->kept.contains(revoked.sha256)) return false;
  auto table = std::make_shared<Table>(*table_);
  table->kept.emplace(revoked.sha256, revoked);
  put(*table, std::move(revoked));
  table_ = std::move(table);
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
