#pragma once
// Where a Puente server listens, as the user writes it: "http://host:port", "host:port",
// "host", "[::1]:port", or "https://host:port" for a server (or a proxy in front of one) that
// speaks TLS.

#include <filesystem>
#include <string>
#include <string_view>

namespace puente::client {

struct ServerAddress {
  static constexpr unsigned short default_port = 8080;
  static constexpr unsigned short default_tls_port = 443;

  std::string host;  // a name or an IP, without brackets for IPv6
  unsigned short port = default_port;
  bool tls = false;  // https:// (or wss://)
  // With TLS: the certificates to trust (PEM); empty: the system's. Not part of the text.
  std::filesystem::path ca_file{};

  // Parses `text`; throws std::invalid_argument saying what is wrong with it
  // ("unknown scheme \"ftp\"", "port 99999 is out of range", ...).
  static ServerAddress parse(std::string_view text);

  // "host:port", with brackets around an IPv6 host: fit for messages and the Host header.
  std::string to_string() const;

  friend bool operator==(const ServerAddress&, const ServerAddress&) = default;
};

}  // namespace puente::client
