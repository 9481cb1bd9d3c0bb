#include "redis/password_file.hpp"

#include <fstream>

namespace puente::redis {
namespace {

// Redis ACL passwords are hashed with SHA-256, any length works; past this it is not a password
// file (a key, a dump pointed at by mistake).
constexpr std::size_t kPasswordFileMaxBytes = 4096;

}  // namespace

PasswordRead read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, "cannot read the password file " + path};
  std::string text;
  text.resize(kPasswordFileMaxBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kPasswordFileMaxBytes)
    return {std::nullopt, "the password file " + path + " is over 4096 bytes"};
  if (const auto end = text.find_first_of("\r\n"); end != std::string::npos) text.resize(end);
  if (text.empty()) return {std::nullopt, "the password file " + path + " is empty"};
  return {std::move(text), {}};
}

}  // namespace puente::redis
