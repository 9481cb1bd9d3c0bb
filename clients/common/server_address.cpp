#include "server_address.hpp"

#include <charconv>
#include <stdexcept>

namespace puente::client {
namespace {

[[noreturn]] void refuse(std::string_view text, std::string_view why) {
  throw std::invalid_argument("bad server address \"" + std::string(text) +
                              "\": " + std::string(why));
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

unsigned short parse_port(std::string_view text, std::string_view port) {
  if (port.empty()) refuse(text, "empty port");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size())
    refuse(text, "port \"" + std::string(port) + "\" is not a number");
  if (value == 0 || value > 65535) refuse(text, "port " + std::string(port) + " is out of range");
  return static_cast<unsigned short>(value);
}

}  // namespace

ServerAddress ServerAddress::parse(std::string_view text) {
  std::string_view rest = text;
  if (rest.empty()) refuse(text, "it is empty");

  ServerAddress address;
  // An optional scheme: plain (the default) or TLS.
  if (auto colon_slashes = rest.find("://"); colon_slashes != std::string_view::npos) {
    auto scheme = rest.substr(0, colon_slashes);
    address.tls = scheme == "https" || scheme == "wss";
    if (!address.tls && scheme != "http" && scheme != "ws")
      refuse(text, "unknown scheme \"" + std::string(scheme) + "\"");
    if (address.tls) address.port = default_tls_port;
    rest.remove_prefix(colon_slashes + 3);
  }
  // A trailing "/" is harmless; any other path is a mistake worth pointing out.
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (slash != rest.size() - 1) refuse(text, "a server address takes no path");
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("@?#") != std::string_view::npos)
    refuse(text, "a server address takes no user, query or fragment");

  std::string_view port;
  if (rest.starts_with('[')) {
    // "[v6]" or "[v6]:port"
    auto close = rest.find(']');
    if (close == std::string_view::npos) refuse(text, "unclosed '[' around an IPv6 address");
    address.host = std::string(rest.substr(1, close - 1));
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') refuse(text, "expected ':' after ']'");
      port = after.substr(1);
      if (port.empty()) refuse(text, "empty port");
    }
    if (address.host.empty() ||
        address.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
      refuse(text, "not an IPv6 address inside [ ]");
  } else {
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon)
      refuse(text, "an IPv6 address needs brackets: [::1]:8080");
    address.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) refuse(text, "empty port");
    }
    if (address.host.empty()) refuse(text, "no host");
    for (char c : address.host)
      if (!is_host_char(c))
        refuse(text, "unexpected character '" + std::string(1, c) + "' in host");
  }
  if (!port.empty()) address.port = parse_port(text, port);
  return address;
}

std::string ServerAddress::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace puente::client
