#pragma once
// Which addresses a push may be sent to: only public unicast ones. A subscription's endpoint is
// a URL a browser (or anyone holding a token) hands the server, so without this rule the server
// would POST wherever it is told: to Redis on 127.0.0.1, a cloud metadata service on
// 169.254.169.254, a router on 192.168.1.1 (server-side request forgery). The rule is applied
// to every address the endpoint's host resolves to, after resolution, and the connection is made
// only to an address that passed (a DNS answer cannot change between check and connect).

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string_view>

namespace puente::push {

// The name of the range `address` lies in if it is one a push must not reach ("loopback",
// "private", "link-local", "unique-local", "carrier-grade NAT", "multicast", "unspecified",
// "reserved", "documentation", ...), nullopt for a public unicast address. IPv6 forms that
// carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64
// 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) are judged by the IPv4 address they carry.
std::optional<std::string_view> address_refusal(const boost::asio::ip::address& address);

}  // namespace puente::push
