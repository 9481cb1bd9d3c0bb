#include "core/trusted_proxies.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace puente::core {

namespace {

// The ::ffff:0:0/96 prefix of an IPv4-mapped address.
constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped_ipv4(const IpBytes& address) {
  for (std::size_t i = 0; i < kMappedPrefix.size(); ++i)
    if (address[i] != kMappedPrefix[i]) return false;
  return true;
}

std::string_view trimmed_hop(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<IpBytes> parse_ip_address(std::string_view text) {
  // inet_pton wants a C string; an address is at most 45 characters (IPv4-mapped IPv6).
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string copy(text);
  IpBytes bytes{};
  if (copy.find(':') == std::string::npos) {
    std::array<std::uint8_t, 4> v4{};
    if (::inet_pton(AF_INET, copy.c_str(), v4.data()) != 1) return std::nullopt;
    for (std::size_t i = 0; i < kMappedPrefix.size(); ++i) bytes[i] = kMappedPrefix[i];
    for (std::size_t i = 0; i < 4; ++i) bytes[12 + i] = v4[i];
    return bytes;
  }
  if (::inet_pton(AF_INET6, copy.c_str(), bytes.data()) != 1) return std::nullopt;
  return bytes;
}

std::string format_ip_address(const IpBytes& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_mapped_ipv4(address)) {
    ::inet_ntop(AF_INET, address.data() + 12, text, sizeof text);
  } else {
    ::inet_ntop(AF_INET6, address.data(), text, sizeof text);
  }
  return text;
}

std::optional<AddressRange> parse_address_range(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  const int width = v4 ? 32 : 128;
  int prefix = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || prefix < 0 || prefix > width)
      return std::nullopt;
  }
  AddressRange range{*address, prefix + (v4 ? 96 : 0)};
  // Host bits set: refused rather than guessed.
  for (int bit = range.prefix_bits; bit < 128; ++bit)
    if (range.network[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
  return range;
}

bool contains(const AddressRange& range, const IpBytes& address) {
  for (int bit = 0; bit < range.prefix_bits; ++bit) {
    const std::uint8_t mask = 0x80 >> (bit % 8);
    if ((range.network[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
  }
  return true;
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    auto range = parse_address_range(entry);
    if (!range)
      throw std::invalid_argument("\"" + entry +
                                  "\" is not an IPv4 or IPv6 address or CIDR block (host bits "
                                  "must be zero: 10.0.0.0/8, 2001:db8::/32)");
    ranges_.push_back(*range);
  }
}

bool TrustedProxies::trusts(std::string_view address) const {
  auto bytes = parse_ip_address(address);
  if (!bytes) return false;
  for (const auto& range : ranges_)
    if (contains(range, *bytes)) return true;
  return false;
}

std::string forwarded_client(std::string_view peer, std::string_view forwarded_for,
                             const TrustedProxies& trusted) {
  if (!trusted.trusts(peer)) return std::string(peer);
  std::string client(peer);
  // From the right: each hop is the address the proxy right of it was reached from.
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto hop = trimmed_hop(comma == std::string_view::npos ? forwarded_for
                                                                 : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    const auto address = parse_ip_address(hop);
    if (!address) break;  // not an address: the walk stops at the last proxy read
    client = format_ip_address(*address);
    if (!trusted.trusts(client)) break;
  }
  return client;
}

}  // namespace puente::core
