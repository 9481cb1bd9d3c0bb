#pragma once
// Reads the password a link sends in AUTH from its file (private to the Redis layer).
//
// The password lives in a file of its own (0600, outside the config and backups) rather than in
// puented.toml, so the config can be shared and a rotation is a file write. The file is read at
// every connect attempt: after `ACL SETUSER <user> ><new password>` and a write of the new
// password here, the next reconnect uses it (deploy/redis/README.md, "Rotating the password").

#include <optional>
#include <string>

namespace puente::redis {

struct PasswordRead {
  std::optional<std::string> password;  // the file's first line, without its line end
  std::string why;                      // why there is none (for logs and start errors)
};

// The first line of `path`. An empty password, an unreadable file or one longer than 4 KiB
// gives no password and says why; the password itself is never in `why`.
PasswordRead read_password_file(const std::string& path);

}  // namespace puente::redis
