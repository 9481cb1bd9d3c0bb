#include "channels/push/message_encryption.hpp"

#include "channels/push/hkdf.hpp"
#include "channels/push/openssl_handles.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace puente::push {
namespace {

using CipherHandle = std::unique_ptr<EVP_CIPHER, OpenSslDeleter<EVP_CIPHER, EVP_CIPHER_free>>;

constexpr std::size_t key_bytes = 16, nonce_bytes = 12, tag_bytes = 16;
constexpr char padding_delimiter_last_record = 0x02;

// Fetched once, as hkdf.cpp does for HKDF.
const EVP_CIPHER* aes_128_gcm() {
  static const CipherHandle cipher = [] {
    CipherHandle fetched(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr));
    if (!fetched) throw_openssl_failure("EVP_CIPHER_fetch AES-128-GCM");
    return fetched;
  }();
  return cipher.get();
}

// AES-128-GCM of `plaintext` followed by its 16-byte tag, appended to `out`.
void seal_record(std::string_view key, std::string_view nonce, std::string_view plaintext,
                 std::string& out) {
  CipherContextHandle context(EVP_CIPHER_CTX_new());
  if (!context) throw_openssl_failure("EVP_CIPHER_CTX_new");
  // The default GCM nonce length is 12 bytes, the length RFC 8188 derives.
  expect_openssl(
      EVP_EncryptInit_ex2(context.get(), aes_128_gcm(), bytes_of(key), bytes_of(nonce), nullptr),
      "EVP_EncryptInit_ex2");
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + tag_bytes);
  int written = 0;
  expect_openssl(EVP_EncryptUpdate(context.get(), bytes_of(out) + start, &written,
                                   bytes_of(plaintext), static_cast<int>(plaintext.size())),
                 "EVP_EncryptUpdate");
  int final_bytes = 0;  // GCM is a stream mode: nothing is held back
  expect_openssl(EVP_EncryptFinal_ex(context.get(), bytes_of(out) + start + written, &final_bytes),
                 "EVP_EncryptFinal_ex");
  expect_openssl(EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_GET_TAG, tag_bytes,
                                     bytes_of(out) + start + written + final_bytes),
                 "EVP_CTRL_AEAD_GET_TAG");
}

void append_big_endian(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

std::string encrypt_or_throw(std::string_view payload, const SubscriptionKeys& keys,
                             const FixedSenderKeys* fixed) {
  const P256Key subscriber = P256Key::from_public_point(keys.p256dh);
  std::optional<P256Key> fresh;
  if (!fixed) fresh = P256Key::generate();
  const P256Key& sender = fixed ? fixed->sender_key : *fresh;
  const std::string sender_point = sender.public_point();
  std::string salt = fixed ? fixed->salt : std::string(salt_bytes, '\0');
  if (!fixed)
    expect_openssl(RAND_bytes(bytes_of(salt), static_cast<int>(salt.size())), "RAND_bytes");

  // RFC 8291 §3.4: the input key (32 bytes) is HKDF salted with the auth secret, of the ECDH
  // secret, with the info "WebPush: info" 0x00 ua_public as_public.
  std::string key_info("WebPush: info\0", 14);
  key_info += keys.p256dh;
  key_info += sender_point;
  const std::string input_key =
      hkdf_sha256(keys.auth_secret, sender.shared_secret(subscriber), key_info, 32);
  // RFC 8188 §2.2 and §2.3: the content key and the nonce, each from the salt and the IKM (the
  // nonce of the first record is the derived one XOR its sequence number, 0).
  const std::string key = hkdf_sha256(
      salt, input_key, std::string_view("Content-Encoding: aes128gcm\0", 28), key_bytes);
  const std::string nonce =
      hkdf_sha256(salt, input_key, std::string_view("Content-Encoding: nonce\0", 24), nonce_bytes);

  std::string body;
  body.reserve(encryption_header_bytes + payload.size() + 1 + tag_bytes);
  body += salt;
  append_big_endian(body, record_size);
  body += static_cast<char>(p256_point_bytes);
  body += sender_point;
  std::string record;
  record.reserve(payload.size() + 1);
  record += payload;
  record += padding_delimiter_last_record;
  seal_record(key, nonce, record, body);
  return body;
}

}  // namespace

EncryptedPayload encrypt_payload(std::string_view payload, const SubscriptionKeys& keys,
                                 const FixedSenderKeys* fixed) {
  if (payload.size() > max_payload_bytes)
    return {std::nullopt, "the payload is " + std::to_string(payload.size()) +
                              " bytes; a push carries at most " +
                              std::to_string(max_payload_bytes) + " (one 4096-byte record)"};
  if (keys.auth_secret.size() != auth_secret_bytes)
    return {std::nullopt, "the subscription's auth secret is " +
                              std::to_string(keys.auth_secret.size()) + " bytes, not 16"};
  if (fixed && fixed->salt.size() != salt_bytes) return {std::nullopt, "a salt is 16 bytes"};
  try {
    return {encrypt_or_throw(payload, keys, fixed), {}};
  } catch (const std::invalid_argument& bad_key) {
    return {std::nullopt, std::string("the subscription's p256dh key: ") + bad_key.what()};
  } catch (const std::exception& failure) {
    return {std::nullopt, failure.what()};
  }
}

}  // namespace puente::push
