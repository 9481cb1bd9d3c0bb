#pragma once
// HKDF with SHA-256 (RFC 5869), extract then expand, through OpenSSL's EVP_KDF "HKDF": the key
// schedule of Web Push message encryption (RFC 8291 §3.4, RFC 8188 §2.2).

#include <cstddef>
#include <string>
#include <string_view>

namespace puente::push {

// `length` bytes (at most 255 x 32) of output keying material. Throws std::runtime_error if
// OpenSSL fails.
std::string hkdf_sha256(std::string_view salt, std::string_view input_key, std::string_view info,
                        std::size_t length);

}  // namespace puente::push
