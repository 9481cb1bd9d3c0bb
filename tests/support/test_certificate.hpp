#pragma once
// A self-signed TLS certificate made for a test by the openssl program: P-256 (or RSA 2048, as
// many certificates in the wild), valid for a day, for the names "localhost" and 127.0.0.1. A
// client that trusts the certificate file (as its CA file) accepts a server that serves it.

#include <filesystem>
#include <string>

namespace puente::test {

struct TestCertificate {
  std::filesystem::path certificate;  // PEM; also what a client trusts
  std::filesystem::path private_key;  // PEM
};

enum class KeyType { p256, rsa2048 };

// Writes <name>.crt and <name>.key into `dir`, replacing them atomically if they exist (a
// renewal a server may reload). `common_name` tells certificates apart. Throws
// std::runtime_error if openssl fails.
TestCertificate make_test_certificate(const std::filesystem::path& dir, const std::string& name,
                                      const std::string& common_name, KeyType key = KeyType::p256);

}  // namespace puente::test
