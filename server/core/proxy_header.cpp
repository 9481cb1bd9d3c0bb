#include "core/proxy_header.hpp"

#include <array>
#include <charconv>

namespace puente::core {

namespace {

constexpr std::string_view kProxyV1Prefix = "PROXY ";
constexpr std::string_view kProxyV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};

ProxyHeader proxy_invalid(std::string why) {
  return {ProxyHeader::Status::invalid, 0, std::nullopt, std::move(why)};
}

// Whether `bytes` could still become `prefix` (or already starts with it).
bool proxy_prefix_so_far(std::string_view bytes, std::string_view prefix) {
  const auto n = std::min(bytes.size(), prefix.size());
  return bytes.substr(0, n) == prefix.substr(0, n);
}

bool proxy_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text.front() == '0')) return false;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc{} && end == text.data() + text.size() && port <= 65535;
}

// "TCP4 203.0.113.7 192.0.2.1 56324 443": single spaces, as the spec writes it.
ProxyHeader parse_proxy_v1_line(std::string_view line, std::size_t length) {
  std::array<std::string_view, 5> fields;
  std::size_t count = 0;
  while (count < fields.size()) {
    const auto space = line.find(' ');
    fields[count++] = line.substr(0, space);
    if (space == std::string_view::npos) {
      line = {};
      break;
    }
    line.remove_prefix(space + 1);
  }
  if (count >= 1 && fields[0] == "UNKNOWN")  // the rest is to be ignored
    return {ProxyHeader::Status::complete, length, std::nullopt, {}};
  if (count != 5 || !line.empty()) return proxy_invalid("PROXY v1: expected 5 fields");
  const bool v4 = fields[0] == "TCP4";
  if (!v4 && fields[0] != "TCP6") return proxy_invalid("PROXY v1: unknown protocol");
  for (auto address : {fields[1], fields[2]})
    if ((address.find(':') == std::string_view::npos) != v4 || !parse_ip_address(address))
      return proxy_invalid("PROXY v1: an address is not of its protocol");
  if (!proxy_port(fields[3]) || !proxy_port(fields[4]))
    return proxy_invalid("PROXY v1: a port is not 0 to 65535");
  return {ProxyHeader::Status::complete, length, parse_ip_address(fields[1]), {}};
}

ProxyHeader parse_proxy_v1(std::string_view bytes) {
  const auto end = bytes.find("\r\n");
  if (end == std::string_view::npos) {
    if (bytes.size() >= kProxyV1MaxBytes) return proxy_invalid("PROXY v1: no CRLF in 107 bytes");
    // A lone CR or LF before the end is no header.
    if (bytes.find('\n') != std::string_view::npos) return proxy_invalid("PROXY v1: bare LF");
    const auto cr = bytes.find('\r');
    if (cr != std::string_view::npos && cr + 1 < bytes.size())
      return proxy_invalid("PROXY v1: bare CR");
    return {};
  }
  if (end + 2 > kProxyV1MaxBytes) return proxy_invalid("PROXY v1: header over 107 bytes");
  // A CR or LF inside the line, even after UNKNOWN, whose rest is otherwise ignored: a cut of
  // the line would have been refused, and the whole must be too.
  if (bytes.substr(0, end).find_first_of("\r\n") != std::string_view::npos)
    return proxy_invalid("PROXY v1: bare CR or LF");
  return parse_proxy_v1_line(bytes.substr(kProxyV1Prefix.size(), end - kProxyV1Prefix.size()),
                             end + 2);
}

ProxyHeader parse_proxy_v2(std::string_view bytes) {
  if (bytes.size() < 16) return {};
  const auto version_command = static_cast<std::uint8_t>(bytes[12]);
  const auto family = static_cast<std::uint8_t>(bytes[13]);
  const std::size_t length =
      (static_cast<std::uint8_t>(bytes[14]) << 8) | static_cast<std::uint8_t>(bytes[15]);
  if ((version_command >> 4) != 2) return proxy_invalid("PROXY v2: version is not 2");
  const auto command = version_command & 0x0f;
  if (command > 1) return proxy_invalid("PROXY v2: unknown command");
  if (16 + length > kProxyV2MaxBytes) return proxy_invalid("PROXY v2: header over 528 bytes");
  if (bytes.size() < 16 + length) return {};
  const auto body = bytes.substr(16, length);
  ProxyHeader header{ProxyHeader::Status::complete, 16 + length, std::nullopt, {}};
  // LOCAL: the proxy speaking for itself (a health check); the addresses are to be ignored.
  if (command == 0) return header;
  // TCP (STREAM) over IPv4 or IPv6 carries a client address; UNSPEC, UDP and UNIX do not.
  if (family == 0x11) {
    if (body.size() < 12) return proxy_invalid("PROXY v2: IPv4 addresses cut short");
    IpBytes address{};
    address[10] = address[11] = 0xff;
    for (std::size_t i = 0; i < 4; ++i) address[12 + i] = static_cast<std::uint8_t>(body[i]);
    header.source = address;
  } else if (family == 0x21) {
    if (body.size() < 36) return proxy_invalid("PROXY v2: IPv6 addresses cut short");
    IpBytes address{};
    for (std::size_t i = 0; i < 16; ++i) address[i] = static_cast<std::uint8_t>(body[i]);
    header.source = address;
  } else if ((family >> 4) > 3 || (family & 0x0f) > 2) {
    return proxy_invalid("PROXY v2: unknown family");
  }
  return header;
}

}  // namespace

ProxyHeader parse_proxy_header(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.front() == 'P') {
    if (!proxy_prefix_so_far(bytes, kProxyV1Prefix)) return proxy_invalid("not a PROXY header");
    if (bytes.size() <= kProxyV1Prefix.size()) return {};
    return parse_proxy_v1(bytes);
  }
  if (!proxy_prefix_so_far(bytes, kProxyV2Signature)) return proxy_invalid("not a PROXY header");
  return parse_proxy_v2(bytes);
}

}  // namespace puente::core
