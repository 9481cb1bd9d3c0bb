#include "core/bearer_token.hpp"

#include "core/base64url.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace puente::core {

std::string new_bearer_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("the random number generator failed; no token made");

  return base64url_encode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(hex[bytes[i] >> 4]);
    out.push_back(hex[bytes[i] & 0x0f]);
  }
  return out;
}

std::string sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest does not read the pointer when the size is 0, but give it a valid one anyway.
  const void* bytes = data.empty() ? static_cast<const void*>("") : data.data();
  // Fetched once: EVP_sha256() makes each digest look the algorithm up in the provider
  // (a third of a short digest's work; two per report). Kept for the process's life.
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  if (!algorithm || EVP_Digest(bytes, data.size(), digest, &length, algorithm, nullptr) != 1)
    throw std::runtime_error("sha256: OpenSSL EVP_Digest failed");
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string sha256_hex(std::string_view data) {
  const auto digest = sha256(data);
  return to_hex(reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
}

PresentedToken::PresentedToken(std::string_view token)
    : empty_(token.empty()), sha256_hex_(token.empty() ? std::string() : core::sha256_hex(token)) {}

std::string_view trim_token(std::string_view text) {
  constexpr std::string_view space = " \t\r\n\v\f";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

}  // namespace puente::core
