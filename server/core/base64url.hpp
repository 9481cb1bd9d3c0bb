#pragma once
// Base64url without padding (RFC 4648 §5), the alphabet of tokens, JWTs and Web Push keys:
// safe in a URL, a header, a file or a shell.

#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

std::string base64url_encode(std::string_view bytes);

// The bytes, or nullopt if `text` holds a character outside the alphabet, padding ('='), or a
// length no encoding has (4n + 1). Trailing bits left over must be zero (a canonical encoding).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace puente::core
