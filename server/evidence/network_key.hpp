#pragma once
// The network's Ed25519 key: it signs every evidence bundle's manifest (docs/evidence.md), so an
// attorney can show that a bundle is the one this network exported and that nothing in it
// changed since. One key for the network: every node reads the same file ([evidence]
// signing_key_file, on the shared volume or copied to each node), and the public half is handed
// out (`GET /v1/evidence/key`, `puente evidence key`) to whoever must check a bundle.
//
// OpenSSL does the work (EVP_PKEY_ED25519); the file is PKCS#8 PEM, which `openssl pkey` reads,
// so a bundle can be checked with stock OpenSSL too (HOW-TO-VERIFY.txt says how).

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace puente::evidence {

class NetworkKey {
 public:
  // The key in `file`, made there first (mode 0600, its folder 0700 if new) if there is no such
  // file. Two nodes making it at once on a shared volume: one writes it (O_EXCL), the other reads
  // that one. Throws std::runtime_error naming the file when it cannot be read or made.
  static NetworkKey load_or_make(const std::filesystem::path& file);

  // The 64-byte Ed25519 signature of `data`.
  std::string sign(std::string_view data) const;
  // Does `signature` sign `data` under this key? (What another node with the same key signed.)
  bool verifies(std::string_view data, std::string_view signature) const;
  // The public key as PEM (SubjectPublicKeyInfo): the network.pub a verifier is given.
  std::string public_pem() const;

 private:
  explicit NetworkKey(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

// Does `signature` sign `data` under the Ed25519 public key in `public_pem`? False for a PEM that
// is not an Ed25519 public key.
bool signature_holds(std::string_view public_pem, std::string_view data,
                     std::string_view signature);

}  // namespace puente::evidence
