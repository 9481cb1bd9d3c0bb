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

// The number's digits, with a leading '+' if it had one: "+1 (323) 555-0142" -> "+13235550142".
// nullopt unless it has 7 to 15 digits and nothing but digits, spaces, '+', '-', '.', '(' and ')'.
std::optional<std::string> normalized_phone(std::string_view phone);

// Lowercase hex HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

class CallerKey {
 public:
  static constexpr std::size_t min_bytes = 32;

  // Reads the key file (at least 32 bytes of secret; `head -c 32 /dev/urandom > caller.key`).
  // Throws std::runtime_error naming the file if it cannot be read or is too short.
  static CallerKey load(const std::string& path);
  explicit CallerKey(std::string secret) : secret_(std::move(secret)) {}

  // caller_hash of a normalized number.
  std::string hash(std::string_view normalized) const { return hmac_sha256_hex(secret_, normalized); }

 private:
  std::string secret_;
};

}  // namespace puente::core
