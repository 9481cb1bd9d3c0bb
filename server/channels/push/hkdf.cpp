#include "channels/push/hkdf.hpp"

#include "channels/push/openssl_handles.hpp"

#include <openssl/core_names.h>

namespace puente::push {
namespace {

using KdfHandle = std::unique_ptr<EVP_KDF, OpenSslDeleter<EVP_KDF, EVP_KDF_free>>;

// Fetched once: fetching looks the algorithm up in the provider tables under a lock.
EVP_KDF* hkdf_algorithm() {
  static const KdfHandle kdf = [] {
    KdfHandle fetched(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
    if (!fetched) throw_openssl_failure("EVP_KDF_fetch HKDF");
    return fetched;
  }();
  return kdf.get();
}

OSSL_PARAM octets(const char* name, std::string_view bytes) {
  // OpenSSL only reads these; the cast is what its C API asks for.
  return OSSL_PARAM_construct_octet_string(name, const_cast<char*>(bytes.data()), bytes.size());
}

}  // namespace

std::string hkdf_sha256(std::string_view salt, std::string_view input_key, std::string_view info,
                        std::size_t length) {
  KdfContextHandle context(EVP_KDF_CTX_new(hkdf_algorithm()));
  if (!context) throw_openssl_failure("EVP_KDF_CTX_new");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      octets(OSSL_KDF_PARAM_SALT, salt),
      octets(OSSL_KDF_PARAM_KEY, input_key),
      octets(OSSL_KDF_PARAM_INFO, info),
      OSSL_PARAM_construct_end(),
  };
  std::string output(length, '\0');
  expect_openssl(EVP_KDF_derive(context.get(), reinterpret_cast<unsigned char*>(output.data()),
                                length, params),
                 "EVP_KDF_derive HKDF");
  return output;
}

}  // namespace puente::push
