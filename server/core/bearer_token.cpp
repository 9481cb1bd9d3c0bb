#include "core/bearer_token.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace puente::core {

std::string new_bearer_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("the random number generator failed; no token made");

  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token;
  token.reserve(43);
  // 32 bytes = ten 3-byte groups and 2 bytes left over; 6 bits per character.
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned group = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) token += alphabet[(group >> shift) & 63];
  }
  unsigned group = (bytes[i] << 16) | (bytes[i + 1] << 8);
  for (int shift = 18; shift >= 6; shift -= 6) token += alphabet[(group >> shift) & 63];
  return token;
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

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest does not read the pointer when the size is 0, but give it a valid one anyway.
  const void* bytes = data.empty() ? static_cast<const void*>("") : data.data();
  if (EVP_Digest(bytes, data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256_hex: OpenSSL EVP_Digest failed");
  return to_hex(digest, length);
}

std::string_view trim_token(std::string_view text) {
  constexpr std::string_view space = " \t\r\n\v\f";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

}  // namespace puente::core
