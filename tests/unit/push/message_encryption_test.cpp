// RFC 8291 message encryption: the RFC's own example (Appendix A) reproduced byte for byte, and
// the refusals of what cannot be encrypted for a push. That the body decrypts with an
// independent implementation is shown by tests/integration/push_delivery (http_ece).
#include "channels/push/message_encryption.hpp"

#include "channels/push/hkdf.hpp"
#include "core/base64url.hpp"

#include <gtest/gtest.h>

namespace puente::push {
namespace {

std::string bytes(std::string_view base64url) {
  auto decoded = core::base64url_decode(base64url);
  EXPECT_TRUE(decoded) << base64url;
  return decoded.value_or("");
}

// RFC 8291 Appendix A, every value as printed there.
constexpr std::string_view rfc_plaintext = "When I grow up, I want to be a watermelon";
constexpr std::string_view rfc_as_public =
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
constexpr std::string_view rfc_as_private = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
constexpr std::string_view rfc_ua_public =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr std::string_view rfc_ua_private = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
constexpr std::string_view rfc_salt = "DGv6ra1nlYgDCS1FRnbzlw";
constexpr std::string_view rfc_auth_secret = "BTBZMqHH6r4Tts7J_aSIgg";
constexpr std::string_view rfc_ecdh_secret = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs";
constexpr std::string_view rfc_body =
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_"
    "c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6P"
    "Bru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

SubscriptionKeys rfc_subscription() { return {bytes(rfc_ua_public), bytes(rfc_auth_secret)}; }

FixedSenderKeys rfc_sender() {
  return {P256Key::from_private_scalar(bytes(rfc_as_private), bytes(rfc_as_public)),
          bytes(rfc_salt)};
}

TEST(MessageEncryption, ReproducesRfc8291AppendixAByteForByte) {
  const auto sender = rfc_sender();
  const auto encrypted = encrypt_payload(rfc_plaintext, rfc_subscription(), &sender);
  ASSERT_TRUE(encrypted.body) << encrypted.error;
  EXPECT_EQ(core::base64url_encode(*encrypted.body), rfc_body);
}

TEST(MessageEncryption, EcdhSecretMatchesRfc8291FromEitherSide) {
  const auto as = P256Key::from_private_scalar(bytes(rfc_as_private), bytes(rfc_as_public));
  const auto ua = P256Key::from_private_scalar(bytes(rfc_ua_private), bytes(rfc_ua_public));
  EXPECT_EQ(
      core::base64url_encode(as.shared_secret(P256Key::from_public_point(bytes(rfc_ua_public)))),
      rfc_ecdh_secret);
  EXPECT_EQ(
      core::base64url_encode(ua.shared_secret(P256Key::from_public_point(bytes(rfc_as_public)))),
      rfc_ecdh_secret);
}

TEST(MessageEncryption, FreshKeyAndSaltEveryMessageInTheRfc8188Header) {
  const auto first = encrypt_payload("alert", rfc_subscription());
  const auto second = encrypt_payload("alert", rfc_subscription());
  ASSERT_TRUE(first.body && second.body);
  const std::string& body = *first.body;
  ASSERT_EQ(body.size(), encryption_header_bytes + 5 + 1 + 16);
  EXPECT_EQ(body.substr(16, 4), std::string("\x00\x00\x10\x00", 4));  // rs = 4096
  EXPECT_EQ(static_cast<unsigned char>(body[20]), 65);                // idlen
  EXPECT_EQ(body[21], '\x04');  // keyid: an uncompressed point
  EXPECT_NE(body.substr(0, 16), second.body->substr(0, 16)) << "the salt was reused";
  EXPECT_NE(body.substr(21, 65), second.body->substr(21, 65)) << "the sender key was reused";
}

TEST(MessageEncryption, TheLongestPayloadMakesA4096ByteBodyAndOneMoreByteIsRefused) {
  const auto longest = encrypt_payload(std::string(max_payload_bytes, 'x'), rfc_subscription());
  ASSERT_TRUE(longest.body) << longest.error;
  EXPECT_EQ(longest.body->size(), 4096u);

  const auto too_long =
      encrypt_payload(std::string(max_payload_bytes + 1, 'x'), rfc_subscription());
  EXPECT_FALSE(too_long.body);
  EXPECT_NE(too_long.error.find("at most 3993"), std::string::npos) << too_long.error;
}

TEST(MessageEncryption, AnEmptyPayloadIsJustTheDelimiter) {
  const auto empty = encrypt_payload("", rfc_subscription());
  ASSERT_TRUE(empty.body) << empty.error;
  EXPECT_EQ(empty.body->size(), encryption_header_bytes + 1 + 16);
}

TEST(MessageEncryption, RefusesAP256dhThatIsNotAPointOnTheCurve) {
  auto keys = rfc_subscription();
  keys.p256dh[64] ^= 0x01;  // Y no longer matches X
  const auto off_curve = encrypt_payload("alert", keys);
  EXPECT_FALSE(off_curve.body);
  EXPECT_NE(off_curve.error.find("p256dh"), std::string::npos) << off_curve.error;

  keys = rfc_subscription();
  keys.p256dh = keys.p256dh.substr(0, 33);  // a compressed-length key
  EXPECT_FALSE(encrypt_payload("alert", keys).body);
  keys.p256dh = "";
  EXPECT_FALSE(encrypt_payload("alert", keys).body);
}

TEST(MessageEncryption, RefusesAnAuthSecretThatIsNot16Bytes) {
  auto keys = rfc_subscription();
  keys.auth_secret.pop_back();
  const auto refused = encrypt_payload("alert", keys);
  EXPECT_FALSE(refused.body);
  EXPECT_NE(refused.error.find("auth secret"), std::string::npos) << refused.error;
}

TEST(Hkdf, Rfc5869TestCase1) {
  // RFC 5869 Appendix A.1 (SHA-256).
  const std::string ikm(22, '\x0b');
  std::string salt, info;
  for (int i = 0; i <= 0x0c; ++i) salt += static_cast<char>(i);
  for (int i = 0xf0; i <= 0xf9; ++i) info += static_cast<char>(i);
  const auto okm = hkdf_sha256(salt, ikm, info, 42);
  std::string hex;
  for (unsigned char c : okm) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
  EXPECT_EQ(hex,
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

}  // namespace
}  // namespace puente::push
