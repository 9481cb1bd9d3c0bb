#pragma once
// Web Push message encryption (RFC 8291): the payload is encrypted for one subscription with
// the "aes128gcm" content coding (RFC 8188), so the push service in between reads nothing.
//
//   body = salt (16) || rs (4, big-endian: 4096) || idlen (1: 65) || keyid (the sender's one-use
//          public key, 65) || AES-128-GCM(plaintext || 0x02) || tag (16)
//
// The keys: ECDH between a fresh sender key and the subscription's p256dh; HKDF-SHA256 keyed by
// the subscription's auth secret mixes both public keys in ("WebPush: info"), then a second HKDF
// salted with the message's random salt gives the content key (16) and the nonce (12). One
// record only, so the padding delimiter is 0x02 (last record) and no padding follows.

#include "channels/push/p256_key.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace puente::push {

inline constexpr std::size_t auth_secret_bytes = 16;
inline constexpr std::size_t salt_bytes = 16;
inline constexpr std::uint32_t record_size = 4096;
// The header before the record: salt, rs, idlen, keyid.
inline constexpr std::size_t encryption_header_bytes = salt_bytes + 4 + 1 + p256_point_bytes;  // 86
// The longest payload: push services must accept a body of 4096 bytes (RFC 8030 §7.2), and the
// body is the header (86), the plaintext, the delimiter (1) and the tag (16). The one record
// (plaintext + 17 <= 4010) then also fits the record size of 4096.
inline constexpr std::size_t max_payload_bytes =
    record_size - encryption_header_bytes - 1 - 16;  // 3993

// What a subscription gives the sender to encrypt for it (its `keys`, base64url-decoded).
struct SubscriptionKeys {
  std::string p256dh;       // the user agent's public key: 65-byte uncompressed point
  std::string auth_secret;  // 16 bytes
};

// A sender key and salt chosen by the caller instead of fresh ones: only to reproduce the
// RFC's example byte for byte. Reusing either for two messages breaks the encryption.
struct FixedSenderKeys {
  P256Key sender_key;
  std::string salt;  // 16 bytes
};

struct EncryptedPayload {
  std::optional<std::string> body;  // the request body, when encrypted
  std::string error;                // why not, otherwise: for a log line (holds no key)
};

// Encrypts `payload` for the subscription. Refuses (an error, no body) a payload longer than
// max_payload_bytes, a p256dh that is not a P-256 point, an auth secret that is not 16 bytes.
// Never throws.
EncryptedPayload encrypt_payload(std::string_view payload, const SubscriptionKeys& keys,
                                 const FixedSenderKeys* fixed = nullptr);

}  // namespace puente::push
