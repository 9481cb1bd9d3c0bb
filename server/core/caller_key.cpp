#include "core/caller_key.hpp"

#include "core/bearer_token.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace puente::core {

std::optional<std::string> normalized_phone(std::string_view phone, std::string_view country_code) {
  std::string digits;
  bool plus = false;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (!plus) {
    const bool nanp = country_code == "1";
    if (digits.starts_with("00")) {
      digits.erase(0, 2);
    } else if (nanp && digits.starts_with("011")) {
      digits.erase(0, 3);
    } else if (nanp && digits.size() == 11 && digits.front() == '1') {
      // the country code typed without '+'
    } else if (nanp && digits.size() == 10) {
      digits.insert(0, country_code);
    } else if (!nanp && digits.size() >= 6) {
      if (digits.front() == '0') digits.erase(0, 1);
      digits.insert(0, country_code);
    } else {
      return std::nullopt;
    }
  }
  // E.164: at most 15 digits; the shortest numbers in use have 8 with their country code.
  if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') return std::nullopt;
  return "+" + digits;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length))
    throw std::runtime_error("hmac_sha256_hex: OpenSSL HMAC failed");
  return to_hex(digest, length);
}

CallerKey CallerKey::load(const std::string& path, std::string country_code) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("caller key " + path + ": cannot be read");
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (secret.size() < min_bytes)
    throw std::runtime_error("caller key " + path + ": " + std::to_string(secret.size()) +
                             " bytes; at least 32 are needed (head -c 32 /dev/urandom > " + path +
                             ")");
  return CallerKey(std::move(secret), std::move(country_code));
}

}  // namespace puente::core
