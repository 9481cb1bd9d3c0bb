#include "global_options.hpp"

#include "core/bearer_token.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace puente::cli {

client::ServerAddress GlobalOptions::server_address() const {
  auto address = client::ServerAddress::parse(server);
  address.ca_file = ca_file;
  return address;
}

std::string GlobalOptions::token() const {
  std::string token;
  if (!token_file.empty()) {
    std::ifstream file(token_file);
    if (!file) throw std::runtime_error("cannot read the token file " + token_file);
    std::ostringstream text;
    text << file.rdbuf();
    token = std::string(core::trim_token(text.str()));
    if (token.empty()) throw std::runtime_error("the token file " + token_file + " is empty");
  } else if (const char* env = std::getenv("PUENTE_TOKEN"); env != nullptr) {
    token = std::string(core::trim_token(env));
  }
  if (token.empty())
    throw std::runtime_error(
        "no token: set PUENTE_TOKEN or pass --token-file FILE (see `puente token new`)");
  return token;
}

std::chrono::milliseconds GlobalOptions::timeout() const {
  return std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
}

}  // namespace puente::cli
