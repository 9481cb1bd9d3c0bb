#pragma once
// Bearer tokens as the roster knows them: the server stores only the SHA-256 (lowercase hex)
// of the token text, so the token is handed to its responder once and kept nowhere else.

#include <cstddef>
#include <string>
#include <string_view>

namespace puente::core {

// A fresh token: 32 bytes from OpenSSL's CSPRNG, base64url without padding (43 characters,
// safe in a header, a file or a shell). Throws std::runtime_error if the CSPRNG fails.
std::string new_bearer_token();

// Lowercase hex of `size` bytes (digests, keys).
std::string to_hex(const unsigned char* bytes, std::size_t size);

// SHA-256 of `data`: its 32 bytes.
std::string sha256(std::string_view data);

// Lowercase hex SHA-256 of `data`: of a token, the `token_sha256` roster.toml stores.
std::string sha256_hex(std::string_view data);

// A token a client presented, hashed once (SHA-256 costs ~7k instructions): the issued tokens,
// the roster and each network's registry all look it up by this one digest. It keeps the digest
// only, never the text, so passing it along hands no secret on.
class PresentedToken {
 public:
  explicit PresentedToken(std::string_view token);
  bool empty() const { return empty_; }  // no token was presented (nothing was hashed)
  const std::string& sha256_hex() const { return sha256_hex_; }

 private:
  bool empty_;
  std::string sha256_hex_;
};

// The token without surrounding whitespace (a trailing newline from a file or `echo`).
std::string_view trim_token(std::string_view text);

}  // namespace puente::core
