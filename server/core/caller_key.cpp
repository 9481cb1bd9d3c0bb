#include "core/caller_key.hpp"

#include "core/bearer_token.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace puente::core {

std::optional<std::string> normalized_phone(std::string_view phone) {
  std::string number;
  bool started = false;  // a '+' counts only before anything else
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '+' && !started)) {
      number += c;
      started = true;
    } else if (c == '-' || c == '.' || c == '(' || c == ')') {
      started = true;
    } else if (c != ' ') {
      return std::nullopt;
    }
  }
  std::size_t digits = number.size() - (number.starts_with('+') ? 1 : 0);
  if (digits < 7 || digits > 15) return std::nullopt;
  return number;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length))
    throw std::runtime_error("hmac_sha256_hex: OpenSSL HMAC failed");
  return to_hex(digest, length);
}

CallerKey CallerKey::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("caller key " + path + ": cannot be read");
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (secret.size() < min_bytes)
    throw std::runtime_error("caller key " + path + ": " + std::to_string(secret.size()) +
                             " bytes; at least 32 are needed (head -c 32 /dev/urandom > " + path + ")");
  return CallerKey(std::move(secret));
}

}  // namespace puente::core
