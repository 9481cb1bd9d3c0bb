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

// The token without surrounding whitespace (a trailing newline from a file or `echo`).
std::string_view trim_token(std::string_view text);

}  // namespace puente::core
