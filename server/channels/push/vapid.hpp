#pragma once
// VAPID (RFC 8292): how a push service knows which application server sends to a subscription.
// The network signs a JWT with its P-256 key (ES256) and sends it with its public key:
//
//   Authorization: vapid t=<header.claims.signature>, k=<public key, base64url>
//
// header {"typ":"JWT","alg":"ES256"}; claims {"aud": the endpoint's origin, "exp": at most 24 h
// ahead, "sub": a contact, "mailto:..." or "https://..."}. The same public key is the
// applicationServerKey the page subscribes with, so a push service accepts pushes to that
// subscription from this key only. The signature is raw r || s (32 bytes each, RFC 7518 §3.4),
// not the DER that OpenSSL makes.

#include "channels/push/p256_key.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace puente::push {

// RFC 8292 §2: a push service refuses a JWT whose exp is more than 24 hours ahead.
inline constexpr std::chrono::hours max_vapid_lifetime{24};

struct VapidClaims {
  std::string audience;  // "https://fcm.googleapis.com": scheme://host[:port], no path
  std::chrono::system_clock::time_point expires;
  std::string subject;  // "mailto:ops@example.org"
};

class VapidKey {
 public:
  explicit VapidKey(P256Key key);
  static VapidKey generate() { return VapidKey(P256Key::generate()); }
  // Throws std::runtime_error naming the file (see P256Key).
  static VapidKey read_pem_file(const std::filesystem::path& file) {
    return VapidKey(P256Key::read_pem_file(file));
  }
  void write_pem_file(const std::filesystem::path& file) const { key_.write_pem_file(file); }

  // The public key as base64url (87 characters): `k=` of the header, and what the page passes
  // to pushManager.subscribe as applicationServerKey.
  const std::string& public_key_base64url() const { return public_key_base64url_; }

  // The ES256 signature of `data`: r || s, 64 bytes. Throws std::runtime_error if OpenSSL fails.
  std::string sign(std::string_view data) const;

 private:
  P256Key key_;
  std::string public_key_base64url_;
};

// The signed JWT (exp in whole seconds since the epoch). Throws std::runtime_error if OpenSSL
// fails.
std::string vapid_jwt(const VapidKey& key, const VapidClaims& claims);

// "vapid t=<jwt>, k=<public key>".
std::string vapid_authorization(const VapidKey& key, std::string_view jwt);

// A contact a push service's operator can reach: "mailto:" or "https:" (RFC 8292 §2.1).
bool valid_vapid_subject(std::string_view subject);

}  // namespace puente::push
