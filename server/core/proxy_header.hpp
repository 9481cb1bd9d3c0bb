#pragma once
// The PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) that a proxy sends
// first on a connection to say whom it is relaying: a pure parser of the bytes read so far,
// so a hostile or truncated header is tested without a socket. Taken only from a proxy listed
// in [node] trusted_proxies; what to do with it is the listener's (net/).
//
//   v1 (text):   "PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n"  (at most 107 bytes)
//                "PROXY UNKNOWN\r\n"                               (no address: keep the peer)
//   v2 (binary): the 12-byte signature \r\n\r\n\0\r\nQUIT\n, version 2 and a command (LOCAL: the
//                proxy's own health check; PROXY), the family (TCP over IPv4 or IPv6; others
//                carry no usable address), a 16-bit length, the addresses and ports, then TLVs,
//                which are skipped.

#include "core/trusted_proxies.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

// v1's limit (the spec's 107 bytes), and ours for v2: its 16 bytes and the addresses (36 for
// IPv6) leave room for the TLVs HAProxy sends (ALPN, authority, SSL details). A longer header is
// refused: nothing the node needs is in it, and a peer must not make the node buffer 64 KiB.
inline constexpr std::size_t kProxyV1MaxBytes = 107;
inline constexpr std::size_t kProxyV2MaxBytes = 16 + 512;

struct ProxyHeader {
  enum class Status {
    incomplete,  // a header so far: read more (up to the limits above)
    invalid,     // not a PROXY header, or a broken one: close the connection
    complete,
  };
  Status status = Status::incomplete;
  std::size_t length = 0;         // complete: the header's bytes, before the client's own
  std::optional<IpBytes> source;  // complete: the client's address; none for LOCAL / UNKNOWN
  std::string error;              // invalid: why, for the log (never the bytes themselves)
};

// Reads the header at the start of `bytes` (everything received so far).
ProxyHeader parse_proxy_header(std::string_view bytes);

}  // namespace puente::core
