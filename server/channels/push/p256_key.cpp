#include "channels/push/p256_key.hpp"

#include "channels/push/openssl_handles.hpp"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace puente::push {
namespace {

using ParamBuilderHandle =
    std::unique_ptr<OSSL_PARAM_BLD, OpenSslDeleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsHandle = std::unique_ptr<OSSL_PARAM, OpenSslDeleter<OSSL_PARAM, OSSL_PARAM_free>>;
using BioHandle = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;

// Keys from parameters: `selection` is EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR. OpenSSL decodes
// the point with EC_POINT_oct2point, which refuses a point that is not on the curve.
PkeyHandle key_from_params(std::string_view point, const BIGNUM* scalar, int selection) {
  if (point.size() != p256_point_bytes || point[0] != 0x04)
    throw std::invalid_argument("a P-256 public key is 65 bytes, 0x04 then X and Y");
  ParamBuilderHandle builder(OSSL_PARAM_BLD_new());
  if (!builder) throw_openssl_failure("OSSL_PARAM_BLD_new");
  expect_openssl(
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0),
      "OSSL_PARAM_BLD_push_utf8_string");
  expect_openssl(OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                                  point.data(), point.size()),
                 "OSSL_PARAM_BLD_push_octet_string");
  if (scalar)
    expect_openssl(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar),
                   "OSSL_PARAM_BLD_push_BN");
  ParamsHandle params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (!params) throw_openssl_failure("OSSL_PARAM_BLD_to_param");

  PkeyContextHandle context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!context) throw_openssl_failure("EVP_PKEY_CTX_new_from_name");
  expect_openssl(EVP_PKEY_fromdata_init(context.get()), "EVP_PKEY_fromdata_init");
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &key, selection, params.get()) != 1) {
    ERR_clear_error();
    throw std::invalid_argument("not a point on the P-256 curve");
  }
  return PkeyHandle(key);
}

bool is_p256(EVP_PKEY* key) {
  char group[64] = {};
  return EVP_PKEY_is_a(key, "EC") &&
         EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                        nullptr) == 1 &&
         (std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0);
}

}  // namespace

P256Key P256Key::generate() {
  // One key-generation context per thread, set up once: fetching the EC implementation and
  // setting the group cost as much as generating the key itself (one key per message).
  thread_local const PkeyContextHandle context = [] {
    PkeyContextHandle made(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!made) throw_openssl_failure("EVP_PKEY_CTX_new_from_name");
    expect_openssl(EVP_PKEY_keygen_init(made.get()), "EVP_PKEY_keygen_init");
    expect_openssl(EVP_PKEY_CTX_set_group_name(made.get(), "prime256v1"),
                   "EVP_PKEY_CTX_set_group_name");
    return made;
  }();
  EVP_PKEY* key = nullptr;
  expect_openssl(EVP_PKEY_generate(context.get(), &key), "EVP_PKEY_generate");
  return P256Key(PkeyHandle(key));
}

P256Key P256Key::from_public_point(std::string_view point) {
  return P256Key(key_from_params(point, nullptr, EVP_PKEY_PUBLIC_KEY));
}

P256Key P256Key::from_private_scalar(std::string_view scalar, std::string_view point) {
  if (scalar.size() != p256_scalar_bytes)
    throw std::invalid_argument("a P-256 private key is 32 bytes");
  BignumHandle number(BN_bin2bn(bytes_of(scalar), static_cast<int>(scalar.size()), nullptr));
  if (!number) throw_openssl_failure("BN_bin2bn");
  return P256Key(key_from_params(point, number.get(), EVP_PKEY_KEYPAIR));
}

P256Key P256Key::read_pem_file(const std::filesystem::path& file) {
  BioHandle bio(BIO_new_file(file.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    throw std::runtime_error(file.string() + ": cannot be read: " + std::strerror(errno));
  }
  PkeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    throw std::runtime_error(file.string() + ": not a PEM private key");
  }
  if (!is_p256(key.get()))
    throw std::runtime_error(file.string() + ": not a P-256 (prime256v1) EC key");
  return P256Key(std::move(key));
}

void P256Key::write_pem_file(const std::filesystem::path& file) const {
  BioHandle memory(BIO_new(BIO_s_mem()));
  if (!memory) throw_openssl_failure("BIO_new");
  expect_openssl(
      PEM_write_bio_PrivateKey(memory.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr),
      "PEM_write_bio_PrivateKey");
  char* pem = nullptr;
  const long size = BIO_get_mem_data(memory.get(), &pem);

  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error(file.string() + ": cannot be created: " + std::strerror(errno));
  const bool written = ::write(fd, pem, static_cast<std::size_t>(size)) == size;
  const int saved = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    std::filesystem::remove(file);
    throw std::runtime_error(file.string() + ": cannot be written: " + std::strerror(saved));
  }
}

std::string P256Key::public_point() const {
  std::string point(p256_point_bytes, '\0');
  std::size_t size = 0;
  expect_openssl(EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                 reinterpret_cast<unsigned char*>(point.data()),
                                                 point.size(), &size),
                 "EVP_PKEY_get_octet_string_param");
  if (size != p256_point_bytes)
    throw std::runtime_error("the public key is not an uncompressed P-256 point");
  return point;
}

std::string P256Key::shared_secret(const P256Key& peer) const {
  PkeyContextHandle context(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
  if (!context) throw_openssl_failure("EVP_PKEY_CTX_new_from_pkey");
  expect_openssl(EVP_PKEY_derive_init(context.get()), "EVP_PKEY_derive_init");
  // No second validation of the peer (validate = 0): decoding it already refused a point off
  // the curve, and P-256's cofactor is 1, so every point on it is in the right group. The full
  // check would multiply by the group order: a second scalar multiplication per message.
  expect_openssl(EVP_PKEY_derive_set_peer_ex(context.get(), peer.key_.get(), 0),
                 "EVP_PKEY_derive_set_peer_ex");
  std::string secret(p256_scalar_bytes, '\0');
  std::size_t size = secret.size();
  expect_openssl(
      EVP_PKEY_derive(context.get(), reinterpret_cast<unsigned char*>(secret.data()), &size),
      "EVP_PKEY_derive");
  secret.resize(size);
  return secret;
}

}  // namespace puente::push
