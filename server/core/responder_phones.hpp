#pragma once
// Responders' phones by keyed hash: how a text message's sender is matched to a responder
// without the number ever leaving the node's memory. Redis, the journal and the logs hold
// `phone_hash` (HMAC-SHA256 under the network's caller key, [privacy] caller_key_file), never
// the number; a reply's sender is hashed the same way and looked up here.
//
// The hash is of "responder-phone " + the E.164 number, not of the number alone as a caller's
// caller_hash is: a responder who calls the hotline then leaves no equal hash beside their
// reports in Redis, so whoever reads Redis without the key cannot tell which reports a
// responder phoned in.

#include "core/caller_key.hpp"
#include "core/roster.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::core {

class ResponderPhones {
 public:
  // Hashes the phone of every responder who has one. `roster` must outlive this object.
  ResponderPhones(const Roster& roster, CallerKey key);

  // The keyed hash of an E.164 number (as normalized_phone gives it).
  std::string hash(std::string_view e164) const;

  // The keyed hash of a number as a gateway writes it (read as by_number reads it); empty if
  // it is no phone number. What a gateway's callback keeps instead of the number.
  std::string hash_of_number(std::string_view number) const;

  // The responder whose phone hashes to `phone_hash`, or nullptr.
  const Responder* by_hash(std::string_view phone_hash) const;
  // The responder whose phone `number` is, as a gateway writes it ("+13235550123", or without
  // the '+' as some do: read as the key's country's), or nullptr.
  const Responder* by_number(std::string_view number) const;
  // `who`'s phone hash; empty if they have no phone (or are not of this roster).
  std::string_view hash_of(const Responder& who) const;

  std::size_t size() const { return by_hash_.size(); }

 private:
  const Roster* roster_;
  CallerKey key_;
  std::vector<std::string> hashes_;  // by index into roster_->responders(); "" for no phone
  std::unordered_map<std::string, std::size_t> by_hash_;
};

}  // namespace puente::core
