#include "channels/push/vapid.hpp"

#include "channels/push/openssl_handles.hpp"
#include "core/base64url.hpp"

#include <boost/json.hpp>

namespace puente::push {
namespace {

// The DER signature OpenSSL makes, as the fixed-size r || s of JWS (RFC 7518 §3.4).
std::string raw_signature(std::string_view der) {
  const unsigned char* cursor = bytes_of(der);
  EcdsaSignatureHandle signature(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!signature) throw_openssl_failure("d2i_ECDSA_SIG");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(signature.get(), &r, &s);
  std::string raw(2 * p256_scalar_bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  // Left-padded with zeros: r or s may be shorter than 32 bytes, never longer.
  if (BN_bn2binpad(r, out, p256_scalar_bytes) < 0 ||
      BN_bn2binpad(s, out + p256_scalar_bytes, p256_scalar_bytes) < 0)
    throw_openssl_failure("BN_bn2binpad");
  return raw;
}

}  // namespace

VapidKey::VapidKey(P256Key key)
    : key_(std::move(key)), public_key_base64url_(core::base64url_encode(key_.public_point())) {}

std::string VapidKey::sign(std::string_view data) const {
  DigestContextHandle context(EVP_MD_CTX_new());
  if (!context) throw_openssl_failure("EVP_MD_CTX_new");
  expect_openssl(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()),
                 "EVP_DigestSignInit");
  std::size_t size = 0;
  expect_openssl(EVP_DigestSign(context.get(), nullptr, &size, bytes_of(data), data.size()),
                 "EVP_DigestSign");
  std::string der(size, '\0');
  expect_openssl(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &size,
                                bytes_of(data), data.size()),
                 "EVP_DigestSign");
  der.resize(size);
  return raw_signature(der);
}

std::string vapid_jwt(const VapidKey& key, const VapidClaims& claims) {
  static const std::string header = core::base64url_encode(R"({"typ":"JWT","alg":"ES256"})");
  const auto expires =
      std::chrono::duration_cast<std::chrono::seconds>(claims.expires.time_since_epoch()).count();
  const boost::json::object body{
      {"aud", claims.audience}, {"exp", expires}, {"sub", claims.subject}};
  std::string jwt = header + "." + core::base64url_encode(boost::json::serialize(body));
  jwt += "." + core::base64url_encode(key.sign(jwt));
  return jwt;
}

std::string vapid_authorization(const VapidKey& key, std::string_view jwt) {
  std::string value = "vapid t=";
  value += jwt;
  value += ", k=";
  value += key.public_key_base64url();
  return value;
}

bool valid_vapid_subject(std::string_view subject) {
  return (subject.starts_with("mailto:") && subject.size() > 7) ||
         (subject.starts_with("https://") && subject.size() > 8);
}

}  // namespace puente::push
