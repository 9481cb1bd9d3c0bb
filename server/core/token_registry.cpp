#include "core/token_registry.hpp"

namespace puente::core {

namespace {

constexpr std::string_view roster_prefix = "roster-";

}  // namespace

std::string roster_token_id(std::string_view responder_id) {
  return std::string(roster_prefix) + std::string(responder_id);
}

TokenRegistry::TokenRegistry(const Roster& roster) : roster_(roster), table_(std::make_shared<const Table>()) {}

std::shared_ptr<const TokenRegistry::Table> TokenRegistry::table() const {
  std::lock_guard lock(mutex_);
  return table_;
}

void TokenRegistry::install(std::shared_ptr<const Table> table) {
  std::lock_guard lock(mutex_);
  table_ = std::move(table);
}

SignIn TokenRegistry::sign_in(std::string_view token, TimePoint now) const {
  if (token.empty()) return {nullptr, {}, SignInFailure::missing};
  const auto hash = sha256_hex(token);
  const auto table = this->table();
  if (auto it = table->id_by_hash.find(hash); it != table->id_by_hash.end()) {
    const auto& record = table->by_id.at(it->second);
    if (record.revoked_at) return {nullptr, record.id, SignInFailure::revoked};
    if (!record.usable_at(now)) return {nullptr, record.id, SignInFailure::expired};
    // A token issued to someone who has since left the roster signs in no one.
    const auto* who = roster_.find(record.responder_id);
    if (!who) return {nullptr, record.id, SignInFailure::unknown};
    return {who, record.id, std::nullopt};
  }
  if (const auto* who = roster_.authenticate(token)) return {who, roster_token_id(who->id), std::nullopt};
  return {nullptr, {}, SignInFailure::unknown};
}

bool TokenRegistry::usable(const std::string& token_id, TimePoint now) const {
  auto record = find(token_id);
  return record && record->usable_at(now);
}

std::optional<TokenRecord> TokenRegistry::find(const std::string& token_id) const {
  const auto table = this->table();
  if (auto it = table->by_id.find(token_id); it != table->by_id.end()) return it->second;
  // A roster token by its responder: a sweep asks this for every socket every second.
  if (!token_id.starts_with(roster_prefix)) return std::nullopt;
  const auto* responder = roster_.find(std::string_view(token_id).substr(roster_prefix.size()));
  if (!responder || responder->token_sha256.empty()) return std::nullopt;
  return TokenRecord{token_id, responder->id, responder->token_sha256, std::nullopt, std::nullopt};
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

void TokenRegistry::replace_issued(std::vector<TokenRecord> issued) {
  auto table = std::make_shared<Table>();
  for (auto& record : issued) {
    table->id_by_hash[record.sha256] = record.id;
    table->by_id[record.id] = std::move(record);
  }
  install(std::move(table));
}

void TokenRegistry::update_issued(TokenRecord record) {
  std::lock_guard lock(mutex_);
  auto table = std::make_shared<Table>(*table_);
  table->id_by_hash[record.sha256] = record.id;
  table->by_id[record.id] = std::move(record);
  table_ = std::move(table);
}

}  // namespace puente::core
