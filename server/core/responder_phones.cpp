// Responders' phones hashed under the caller key, looked up by hash (see responder_phones.hpp).

#include "core/responder_phones.hpp"

namespace puente::core {

ResponderPhones::ResponderPhones(const Roster& roster, CallerKey key)
    : roster_(&roster), key_(std::move(key)) {
  const auto& responders = roster.responders();
  hashes_.resize(responders.size());
  for (std::size_t i = 0; i < responders.size(); ++i) {
    if (responders[i].phone.empty()) continue;
    hashes_[i] = hash(responders[i].phone);
    by_hash_.emplace(hashes_[i], i);
  }
}

std::string ResponderPhones::hash(std::string_view e164) const {
  std::string data = "responder-phone ";
  data += e164;
  return key_.hash(data);
}

const Responder* ResponderPhones::by_hash(std::string_view phone_hash) const {
  const auto it = by_hash_.find(std::string(phone_hash));
  return it == by_hash_.end() ? nullptr : &roster_->responders()[it->second];
}

std::string ResponderPhones::hash_of_number(std::string_view number) const {
  const auto e164 = normalized_phone(number, key_.country_code());
  return e164 ? hash(*e164) : std::string();
}

const Responder* ResponderPhones::by_number(std::string_view number) const {
  const std::string phone_hash = hash_of_number(number);
  return phone_hash.empty() ? nullptr : by_hash(phone_hash);
}

std::string_view ResponderPhones::hash_of(const Responder& who) const {
  const auto index = roster_->index_of(who);
  return index ? std::string_view(hashes_[*index]) : std::string_view();
}

}  // namespace puente::core
