#pragma once
// [node] trusted_proxies: the proxies in front of the nodes (HAProxy, nginx) whose word on the
// client's address is taken, and the walk of X-Forwarded-For that finds that address. Pure
// functions of plain text, so hostile input is tested without a socket.
//
// An address is kept as 16 bytes, IPv4 as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one
// range type covers both families and "10.0.0.0/8" matches a peer the kernel reports as
// "::ffff:10.1.2.3" on a dual-stack socket.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

using IpBytes = std::array<std::uint8_t, 16>;

// An IPv4 ("203.0.113.7") or IPv6 ("2001:db8::1", "::ffff:203.0.113.7") address; nullopt for
// anything else (a port, brackets, a zone, spaces, a name).
std::optional<IpBytes> parse_ip_address(std::string_view text);
// The address as text: dotted quad for IPv4 (mapped or not), RFC 5952 for IPv6.
std::string format_ip_address(const IpBytes& address);

// A CIDR block, or one address ("192.0.2.10" is 192.0.2.10/32, "::1" is ::1/128).
struct AddressRange {
  IpBytes network{};
  int prefix_bits = 128;  // of the 16-byte form: an IPv4 /8 is 96 + 8
};
// nullopt for a malformed range, a prefix past the family's width, or host bits set
// ("10.0.0.1/8": a typo for 10.0.0.0/8 or for 10.0.0.1, which must not be guessed).
std::optional<AddressRange> parse_address_range(std::string_view text);
bool contains(const AddressRange& range, const IpBytes& address);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Throws std::invalid_argument naming the first entry that is not an address or CIDR block.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool empty() const { return ranges_.empty(); }
  // Whether `address` (as the socket reports it) is one of the listed proxies.
  bool trusts(std::string_view address) const;

 private:
  std::vector<AddressRange> ranges_;
};

// The client's address for a request that came from `peer` with `forwarded_for` (every
// X-Forwarded-For line, joined with ","; empty if none). `peer` itself unless it is a trusted
// proxy; then the header is walked from the right (each proxy appends the address it was
// reached from) past the trusted proxies, and the first hop that is not one is the client. A
// hop that is no address ends the walk at the last proxy read: what came before it cannot be
// trusted. Everything left of the client is the client's own word and is never read.
std::string forwarded_client(std::string_view peer, std::string_view forwarded_for,
                             const TrustedProxies& trusted);

}  // namespace puente::core
