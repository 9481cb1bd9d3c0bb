#include "core/ack_capability.hpp"

#include "core/base64url.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace puente::core {
namespace {

constexpr std::string_view kPrefix = "ac1.";

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length))
    throw std::runtime_error("ack capability: OpenSSL HMAC failed");
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find('\n', start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

AckCapabilityKey::AckCapabilityKey(std::string secret) : secret_(std::move(secret)) {
  if (secret_.size() < min_bytes)
    throw std::invalid_argument("ack capability key: " + std::to_string(secret_.size()) +
                                " bytes; at least 32 are needed");
}

std::string AckCapabilityKey::mint(const AckCapability& capability) const {
  const auto expiry =
      std::chrono::duration_cast<std::chrono::seconds>(capability.expires_at.time_since_epoch())
          .count();
  const std::string claims = capability.alert_id + "\n" + capability.responder_id + "\n" +
                             capability.subscription_id + "\n" + std::to_string(expiry);
  std::string signed_part = std::string(kPrefix) + base64url_encode(claims);
  return signed_part + "." + base64url_encode(hmac_sha256(secret_, signed_part));
}

std::optional<AckCapability> AckCapabilityKey::verify(
    std::string_view text, std::chrono::system_clock::time_point now) const {
  if (!text.starts_with(kPrefix)) return std::nullopt;
  const auto dot = text.find('.', kPrefix.size());
  if (dot == std::string_view::npos) return std::nullopt;
  const auto signature = base64url_decode(text.substr(dot + 1));
  const std::string expected = hmac_sha256(secret_, text.substr(0, dot));
  if (!signature || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
    return std::nullopt;
  const auto claims = base64url_decode(text.substr(kPrefix.size(), dot - kPrefix.size()));
  if (!claims) return std::nullopt;
  const auto parts = split_lines(*claims);
  if (parts.size() != 4 || parts[0].empty() || parts[1].empty()) return std::nullopt;
  long long expiry = 0;
  const auto [end, error] =
      std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), expiry);
  if (error != std::errc{} || end != parts[3].data() + parts[3].size()) return std::nullopt;
  const std::chrono::system_clock::time_point expires_at{std::chrono::seconds(expiry)};
  if (now >= expires_at) return std::nullopt;
  return AckCapability{.alert_id = std::string(parts[0]),
                       .responder_id = std::string(parts[1]),
                       .subscription_id = std::string(parts[2]),
                       .expires_at = expires_at};
}

}  // namespace puente::core
