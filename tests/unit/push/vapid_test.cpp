// VAPID (RFC 8292): the JWT verified with OpenSSL against the public key sent beside it (r || s
// turned back into DER, the way a push service's ES256 check reads it), its claims, exp never
// beyond 24 hours, and the network key kept in a PEM file.
#include "channels/push/vapid.hpp"

#include "channels/push/vapid_signer.hpp"
#include "core/base64url.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace puente::push {
namespace {

using namespace std::chrono_literals;

struct Jwt {
  std::string signed_part;  // header.claims
  boost::json::value header, claims;
  std::string signature;  // raw r || s
};

Jwt split_jwt(std::string_view jwt) {
  const auto first = jwt.find('.'), last = jwt.rfind('.');
  EXPECT_NE(first, last) << jwt;
  Jwt parts;
  parts.signed_part = std::string(jwt.substr(0, last));
  parts.header = boost::json::parse(core::base64url_decode(jwt.substr(0, first)).value());
  parts.claims =
      boost::json::parse(core::base64url_decode(jwt.substr(first + 1, last - first - 1)).value());
  parts.signature = core::base64url_decode(jwt.substr(last + 1)).value();
  return parts;
}

// The check a push service makes: ES256 over header.claims with the key of `k=`.
bool es256_verifies(const Jwt& jwt, std::string_view public_key_base64url) {
  if (jwt.signature.size() != 64) return false;
  const auto key = P256Key::from_public_point(core::base64url_decode(public_key_base64url).value());
  const auto* raw = reinterpret_cast<const unsigned char*>(jwt.signature.data());
  EcdsaSignatureHandle signature(ECDSA_SIG_new());
  ECDSA_SIG_set0(signature.get(), BN_bin2bn(raw, 32, nullptr), BN_bin2bn(raw + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(signature.get(), &der);
  DigestContextHandle context(EVP_MD_CTX_new());
  const bool verified =
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
      EVP_DigestVerify(context.get(), der, static_cast<std::size_t>(der_size),
                       reinterpret_cast<const unsigned char*>(jwt.signed_part.data()),
                       jwt.signed_part.size()) == 1;
  OPENSSL_free(der);
  return verified;
}

std::pair<std::string, std::string> jwt_and_key(std::string_view authorization) {
  EXPECT_TRUE(authorization.starts_with("vapid t=")) << authorization;
  const auto comma = authorization.find(", k=");
  EXPECT_NE(comma, std::string_view::npos) << authorization;
  return {std::string(authorization.substr(8, comma - 8)),
          std::string(authorization.substr(comma + 4))};
}

const auto kSignedAt = std::chrono::sys_days(std::chrono::year(2026) / 12 / 5) + 21h + 30min + 15s;

TEST(Vapid, JwtVerifiesWithOpenSslAgainstThePublicKeyAndCarriesTheClaims) {
  const auto key = VapidKey::generate();
  const auto jwt =
      vapid_jwt(key, {"https://fcm.googleapis.com", kSignedAt + 12h, "mailto:ops@example.org"});
  const auto parts = split_jwt(jwt);
  EXPECT_TRUE(es256_verifies(parts, key.public_key_base64url()));
  EXPECT_EQ(parts.header, boost::json::parse(R"({"typ":"JWT","alg":"ES256"})"));
  EXPECT_EQ(parts.claims.at("aud").as_string(), "https://fcm.googleapis.com");
  EXPECT_EQ(parts.claims.at("sub").as_string(), "mailto:ops@example.org");
  EXPECT_EQ(parts.claims.at("exp").as_int64(),
            std::chrono::duration_cast<std::chrono::seconds>((kSignedAt + 12h).time_since_epoch())
                .count());
  EXPECT_EQ(jwt.find('='), std::string::npos) << "base64url has no padding";
}

TEST(Vapid, ATamperedJwtOrAnotherKeyDoesNotVerify) {
  const auto key = VapidKey::generate();
  auto parts = split_jwt(
      vapid_jwt(key, {"https://fcm.googleapis.com", kSignedAt + 1h, "mailto:ops@example.org"}));
  EXPECT_FALSE(es256_verifies(parts, VapidKey::generate().public_key_base64url()));
  parts.signed_part.back() ^= 1;
  EXPECT_FALSE(es256_verifies(parts, key.public_key_base64url()));
}

TEST(Vapid, AuthorizationHeaderCarriesTheJwtAndTheUncompressedPublicKey) {
  const auto key = VapidKey::generate();
  const auto [jwt, k] = jwt_and_key(vapid_authorization(key, "a.b.c"));
  EXPECT_EQ(jwt, "a.b.c");
  EXPECT_EQ(k, key.public_key_base64url());
  const auto point = core::base64url_decode(k).value();
  EXPECT_EQ(point.size(), 65u);
  EXPECT_EQ(point[0], '\x04');
}

TEST(VapidSigner, ExpiryIsNeverBeyond24HoursEvenWhenAskedFor48) {
  auto signer = VapidSigner(VapidKey::generate(), "mailto:ops@example.org", 48h);
  const auto [jwt, k] = jwt_and_key(signer.authorization("https://web.push.apple.com", kSignedAt));
  const auto parts = split_jwt(jwt);
  EXPECT_TRUE(es256_verifies(parts, k));
  const auto now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(kSignedAt.time_since_epoch()).count();
  EXPECT_LE(parts.claims.at("exp").as_int64(), now_seconds + 24 * 3600);
  EXPECT_GT(parts.claims.at("exp").as_int64(), now_seconds);
  EXPECT_EQ(parts.claims.at("aud").as_string(), "https://web.push.apple.com");
}

TEST(VapidSigner, DefaultLifetimeIs12HoursAndTheJwtIsReusedUntilHalfOfItIsGone) {
  VapidSigner signer(VapidKey::generate(), "https://example.org/contact");
  const auto first = signer.authorization("https://fcm.googleapis.com", kSignedAt);
  const auto now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(kSignedAt.time_since_epoch()).count();
  EXPECT_EQ(split_jwt(jwt_and_key(first).first).claims.at("exp").as_int64(),
            now_seconds + 12 * 3600);
  EXPECT_EQ(signer.authorization("https://fcm.googleapis.com", kSignedAt + 5h), first);
  // Each origin its own audience.
  const auto other = signer.authorization("https://updates.push.services.mozilla.com", kSignedAt);
  EXPECT_EQ(split_jwt(jwt_and_key(other).first).claims.at("aud").as_string(),
            "https://updates.push.services.mozilla.com");
  // Past half its lifetime, a fresh one expiring 12 h after the new time.
  const auto renewed = signer.authorization("https://fcm.googleapis.com", kSignedAt + 6h + 1s);
  EXPECT_NE(renewed, first);
  EXPECT_EQ(split_jwt(jwt_and_key(renewed).first).claims.at("exp").as_int64(),
            now_seconds + 18 * 3600 + 1);
}

TEST(VapidSigner, RefusesASubjectThatIsNotAContact) {
  EXPECT_THROW(VapidSigner(VapidKey::generate(), "ops@example.org"), std::invalid_argument);
  EXPECT_THROW(VapidSigner(VapidKey::generate(), "mailto:"), std::invalid_argument);
  EXPECT_THROW(VapidSigner(VapidKey::generate(), "http://example.org"), std::invalid_argument);
}

TEST(VapidKey, PemFileRoundTripsIsOwnerOnlyAndIsNeverOverwritten) {
  test::TempDir dir("puente-vapid-");
  const auto file = dir.path() / "vapid.pem";
  const auto key = VapidKey::generate();
  key.write_pem_file(file);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  const auto read = VapidKey::read_pem_file(file);
  EXPECT_EQ(read.public_key_base64url(), key.public_key_base64url());
  // What the read key signs verifies with the written key's public half.
  const auto parts =
      split_jwt(vapid_jwt(read, {"https://fcm.googleapis.com", kSignedAt, "mailto:a@b.c"}));
  EXPECT_TRUE(es256_verifies(parts, key.public_key_base64url()));
  EXPECT_THROW(VapidKey::generate().write_pem_file(file), std::runtime_error);
  EXPECT_EQ(VapidKey::read_pem_file(file).public_key_base64url(), key.public_key_base64url());
}

TEST(VapidKey, RefusesAFileThatIsNotAP256Key) {
  test::TempDir dir("puente-vapid-");
  EXPECT_THROW(VapidKey::read_pem_file(dir.path() / "missing.pem"), std::runtime_error);
  const auto garbage = dir.path() / "garbage.pem";
  std::ofstream(garbage) << "not a key\n";
  EXPECT_THROW(VapidKey::read_pem_file(garbage), std::runtime_error);
  // An RSA key: a PEM private key, but not one VAPID can use.
  const auto rsa = dir.path() / "rsa.pem";
  ASSERT_EQ(std::system(("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out " +
                         rsa.string() + " 2>/dev/null")
                            .c_str()),
            0);
  try {
    VapidKey::read_pem_file(rsa);
    FAIL() << "an RSA key was accepted";
  } catch (const std::runtime_error& refused) {
    EXPECT_NE(std::string(refused.what()).find("not a P-256"), std::string::npos) << refused.what();
  }
}

}  // namespace
}  // namespace puente::push
