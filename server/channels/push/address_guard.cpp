#include "channels/push/address_guard.hpp"

#include <array>
#include <cstdint>

namespace puente::push {
namespace {

using boost::asio::ip::address_v4;
using boost::asio::ip::address_v6;

// A prefix of `bits` bits and the name of its range. Tables from the IANA special-purpose
// address registries (RFC 6890 and its updates).
struct V4Range {
  std::uint32_t prefix;
  int bits;
  std::string_view name;
};
constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return (std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) | (std::uint32_t(c) << 8) |
         std::uint32_t(d);
}
constexpr V4Range v4_refused[] = {
    {v4(0, 0, 0, 0), 8, "unspecified"},  // "this network"
    {v4(10, 0, 0, 0), 8, "private"},
    {v4(100, 64, 0, 0), 10, "carrier-grade NAT"},
    {v4(127, 0, 0, 0), 8, "loopback"},
    {v4(169, 254, 0, 0), 16, "link-local"},  // cloud metadata services live here
    {v4(172, 16, 0, 0), 12, "private"},
    {v4(192, 0, 0, 0), 24, "reserved"},  // IETF protocol assignments
    {v4(192, 0, 2, 0), 24, "documentation"},
    {v4(192, 88, 99, 0), 24, "reserved"},  // 6to4 relay anycast
    {v4(192, 168, 0, 0), 16, "private"},
    {v4(198, 18, 0, 0), 15, "benchmarking"},
    {v4(198, 51, 100, 0), 24, "documentation"},
    {v4(203, 0, 113, 0), 24, "documentation"},
    {v4(224, 0, 0, 0), 4, "multicast"},
    {v4(240, 0, 0, 0), 4, "reserved"},  // and 255.255.255.255, broadcast
};

std::optional<std::string_view> v4_refusal(const address_v4& address) {
  const std::uint32_t bits = address.to_uint();
  for (const auto& range : v4_refused) {
    if ((bits >> (32 - range.bits)) == (range.prefix >> (32 - range.bits))) return range.name;
  }
  return std::nullopt;
}

struct V6Range {
  std::array<std::uint8_t, 4> prefix;  // the first bytes; ranges here need no more than 32 bits
  int bits;
  std::string_view name;
};
constexpr V6Range v6_refused[] = {
    {{0xfc, 0x00, 0, 0}, 7, "unique-local"},  // fc00::/7
    {{0xfe, 0x80, 0, 0}, 10, "link-local"},   // fe80::/10
    {{0xfe, 0xc0, 0, 0}, 10, "site-local"},   // fec0::/10, deprecated, still routed privately
    {{0xff, 0x00, 0, 0}, 8, "multicast"},     // ff00::/8
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation"},  // 2001:db8::/32
    {{0x20, 0x01, 0x00, 0x00}, 32, "Teredo"},         // 2001::/32: a tunnel to anywhere
    {{0x01, 0x00, 0x00, 0x00}, 16, "discard"},        // 100::/64, as its /16: nothing public there
    {{0x3f, 0xff, 0, 0}, 20, "documentation"},        // 3fff::/20
};

bool starts_with_bits(const address_v6::bytes_type& bytes,
                      const std::array<std::uint8_t, 4>& prefix, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) != (prefix[i] & mask)) return false;
  }
  return true;
}

std::optional<std::string_view> v6_refusal(const address_v6& address) {
  const auto bytes = address.to_bytes();
  const auto zeros = [&](int from, int to) {
    for (int i = from; i < to; ++i)
      if (bytes[i] != 0) return false;
    return true;
  };
  const auto embedded = [&](int at) {
    return address_v4(
        address_v4::bytes_type{bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]});
  };

  if (address.is_unspecified()) return "unspecified";
  if (address.is_loopback()) return "loopback";
  // ::ffff:a.b.c.d: the same host as a.b.c.d (a dual-stack socket connects to it over IPv4).
  if (address.is_v4_mapped()) return v4_refusal(embedded(12));
  // ::a.b.c.d, IPv4-compatible (deprecated): no public host has one; judged as what it carries.
  if (zeros(0, 12)) return v4_refusal(embedded(12)).value_or("reserved");
  // 64:ff9b::/96 (NAT64): a gateway would connect to the IPv4 address it carries.
  if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && zeros(4, 12))
    return v4_refusal(embedded(12));
  // 2002::/16 (6to4): the IPv4 address of the tunnel's end follows the prefix.
  if (bytes[0] == 0x20 && bytes[1] == 0x02) return v4_refusal(embedded(2));
  for (const auto& range : v6_refused) {
    if (starts_with_bits(bytes, range.prefix, range.bits)) return range.name;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> address_refusal(const boost::asio::ip::address& address) {
  return address.is_v4() ? v4_refusal(address.to_v4()) : v6_refusal(address.to_v6());
}

}  // namespace puente::push
