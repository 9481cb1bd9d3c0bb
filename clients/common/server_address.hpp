#pragma once
// Where a Puente server listens, as the user writes it: "http://host:port", "host:port",
// "host" or "[::1]:port". Plain HTTP only; TLS is for the load balancer in front.

#include <string>
#include <string_view>

namespace puente::client {

struct ServerAddress {
  static constexpr unsigned short default_port = 8080;

  std::string host;  // a name or an IP, without brackets for IPv6
  unsigned short port = default_port;

  // Parses `text`; throws std::invalid_argument saying what is wrong with it
  // ("https is not supported", "port 99999 is out of range", ...).
  static ServerAddress parse(std::string_view text);

  // "host:port", with brackets around an IPv6 host: fit for messages and the Host header.
  std::string to_string() const;

  friend bool operator==(const ServerAddress&, const ServerAddress&) = default;
};

}  // namespace puente::client
