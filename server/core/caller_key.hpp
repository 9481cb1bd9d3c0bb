#pragma once
// The network's caller key: a secret kept outside Redis ([privacy] caller_key_file) under which
// a caller's phone number becomes caller_hash (HMAC-SHA256). A seized Redis or journal then holds
// no phone number, and without the key the hashes cannot be tried against a list of numbers; the
// same caller still gives the same hash, so a dispatcher can spot a repeat caller or a flood of
// false reports from one phone.

#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

// The number in E.164 ('+', country code, number: 8 to 15 digits), so that one phone hashes
// the same however the operator typed it: "+1 (323) 555-0142", "323-555-0142", "1 323 555 0142"
// and "011 1 323 555 0142" are all "+13235550142" for a network whose `country_code` is "1".
// A number without '+' is read as that network's: "00" or (in country 1) "011" starts an
// international one; in country 1 ten digits are a national number and eleven start with its
// '1'; elsewhere one leading trunk '0' is dropped. nullopt for anything else: other characters
// than digits, spaces, '+', '-', '.', '(' and ')', a '+' after the start, or a length no phone
// number has (a seven-digit number without its area code, say).
std::optional<std::string> normalized_phone(std::string_view phone,
                                            std::string_view country_code = "1");

// Lowercase hex HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

class CallerKey {
 public:
  static constexpr std::size_t min_bytes = 32;

  // Reads the key file (at least 32 bytes of secret; `head -c 32 /dev/urandom > caller.key`).
  // Throws std::runtime_error naming the file if it cannot be read or is too short.
  // `country_code`: the network's own, for numbers typed without one (normalized_phone).
  static CallerKey load(const std::string& path, std::string country_code = "1");
  explicit CallerKey(std::string secret, std::string country_code = "1")
      : secret_(std::move(secret)), country_code_(std::move(country_code)) {}

  const std::string& country_code() const { return country_code_; }

  // caller_hash of a normalized number.
  std::string hash(std::string_view normalized) const {
    return hmac_sha256_hex(secret_, normalized);
  }

 private:
  std::string secret_;
  std::string country_code_;
};

}  // namespace puente::core
