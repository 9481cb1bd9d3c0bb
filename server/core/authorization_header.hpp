#pragma once
// The credentials an Authorization header carries (RFC 9110 11.6.2): `Bearer <token>` for a
// person's token, `Capability <capability>` for a phone's ack capability (ack_capability.hpp).
// The scheme is matched without regard to case, as HTTP says it must be ("bearer x" is the same
// header); the credentials are what follows the spaces after it, exactly as sent.

#include <optional>
#include <string_view>

namespace puente::core {

// The credentials of `header` if it is of `scheme` ("Bearer"); nullopt for another scheme, a
// scheme without credentials, or an empty header.
std::optional<std::string_view> authorization_credentials(std::string_view header,
                                                          std::string_view scheme);

}  // namespace puente::core
