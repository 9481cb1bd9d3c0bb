#pragma once
// A key pair (or a public key alone) on the NIST P-256 curve, the only curve Web Push uses:
// for the subscription's p256dh (a public key), the sender's one-use ECDH key of each message
// (RFC 8291) and the network's VAPID signing key (RFC 8292). Public keys travel as the 65-byte
// uncompressed point (0x04 || X || Y), as browsers hand them out.

#include "channels/push/openssl_handles.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace puente::push {

inline constexpr std::size_t p256_point_bytes = 65;  // 0x04 || X (32) || Y (32)
inline constexpr std::size_t p256_scalar_bytes = 32;

class P256Key {
 public:
  // A fresh key pair from OpenSSL's CSPRNG.
  static P256Key generate();
  // A public key from its uncompressed point; throws std::invalid_argument if `point` is not
  // 65 bytes starting 0x04 or not a point on the curve.
  static P256Key from_public_point(std::string_view point);
  // A key pair from its private scalar (32 bytes, big-endian) and its public point: for the
  // published test vectors, whose private and public halves are both given.
  static P256Key from_private_scalar(std::string_view scalar, std::string_view point);
  // A key pair from a PEM file ("PRIVATE KEY" or "EC PRIVATE KEY"); throws std::runtime_error
  // naming the file if it cannot be read or holds anything but a P-256 private key.
  static P256Key read_pem_file(const std::filesystem::path& file);

  // Writes the private key as PKCS#8 PEM into a new file readable by its owner only (0600);
  // throws std::runtime_error if the file exists (a network's key is never overwritten
  // silently) or cannot be written.
  void write_pem_file(const std::filesystem::path& file) const;

  // The uncompressed public point (65 bytes).
  std::string public_point() const;
  // The ECDH shared secret with `peer` (the X coordinate of the shared point, 32 bytes).
  std::string shared_secret(const P256Key& peer) const;

  EVP_PKEY* get() const { return key_.get(); }

 private:
  explicit P256Key(PkeyHandle key) : key_(std::move(key)) {}
  PkeyHandle key_;
};

}  // namespace puente::push
