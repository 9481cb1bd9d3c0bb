#pragma once
// OpenSSL objects owned by std::unique_ptr, freed by their own free function, and the one way
// this layer reports an OpenSSL failure: an exception carrying OpenSSL's own reason, caught at
// the edge of each public call that cannot throw.

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace puente::push {

template <typename T, void (*free_function)(T*)>
struct OpenSslDeleter {
  void operator()(T* object) const { free_function(object); }
};

using PkeyHandle = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyContextHandle =
    std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using DigestContextHandle =
    std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherContextHandle =
    std::unique_ptr<EVP_CIPHER_CTX, OpenSslDeleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using KdfContextHandle =
    std::unique_ptr<EVP_KDF_CTX, OpenSslDeleter<EVP_KDF_CTX, EVP_KDF_CTX_free>>;
using BignumHandle = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>>;
using EcdsaSignatureHandle = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;

// OpenSSL takes bytes as unsigned char; a std::string holds them as char.
inline unsigned char* bytes_of(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}
inline const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// Throws std::runtime_error "<what>: <OpenSSL's reason>", emptying OpenSSL's error queue of
// this thread so the next call starts clean.
[[noreturn]] inline void throw_openssl_failure(const std::string& what) {
  std::string reason;
  if (const unsigned long code = ERR_peek_last_error(); code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    reason = text;
  }
  ERR_clear_error();
  throw std::runtime_error(reason.empty() ? what : what + ": " + reason);
}

// `result == 1` or throw (OpenSSL's EVP calls answer 1 for success).
inline void expect_openssl(int result, const char* what) {
  if (result != 1) throw_openssl_failure(what);
}

}  // namespace puente::push
