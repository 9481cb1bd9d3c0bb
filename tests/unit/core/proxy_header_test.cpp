// The PROXY protocol header (core/proxy_header.hpp), versions 1 and 2, as HAProxy's
// proxy-protocol.txt writes them, cut at every length, and broken on purpose.
#include "core/proxy_header.hpp"

#include <gtest/gtest.h>

#include <string>

namespace puente::core {
namespace {

using Status = ProxyHeader::Status;

const std::string kV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};

// A v2 header: command (0 LOCAL, 1 PROXY), family byte, then `body`.
std::string proxy_v2(int command, unsigned char family, const std::string& body) {
  std::string header = kV2Signature;
  header += static_cast<char>(0x20 | command);
  header += static_cast<char>(family);
  header += static_cast<char>((body.size() >> 8) & 0xff);
  header += static_cast<char>(body.size() & 0xff);
  return header + body;
}

const std::string kV2Tcp4Body{"\xcb\x00\x71\x07\xc0\x00\x02\x01\xdc\x04\x01\xbb", 12};

TEST(ProxyHeader, ReadsAVersion1HeaderAndWhereTheClientsBytesBegin) {
  const std::string header = "PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n";
  auto parsed = parse_proxy_header(header + "GET / HTTP/1.1\r\n");
  ASSERT_EQ(parsed.status, Status::complete) << parsed.error;
  EXPECT_EQ(parsed.length, header.size());
  ASSERT_TRUE(parsed.source);
  EXPECT_EQ(format_ip_address(*parsed.source), "203.0.113.7");

  parsed = parse_proxy_header("PROXY TCP6 2001:db8::7 2001:db8::1 56324 443\r\n");
  ASSERT_EQ(parsed.status, Status::complete) << parsed.error;
  EXPECT_EQ(format_ip_address(*parsed.source), "2001:db8::7");

  // UNKNOWN: a connection the proxy cannot describe; the peer stays the address.
  parsed = parse_proxy_header("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n");
  ASSERT_EQ(parsed.status, Status::complete);
  EXPECT_FALSE(parsed.source);
}

TEST(ProxyHeader, ReadsAVersion2HeaderSkippingItsTlvs) {
  auto parsed = parse_proxy_header(proxy_v2(1, 0x11, kV2Tcp4Body) + "GET /");
  ASSERT_EQ(parsed.status, Status::complete) << parsed.error;
  EXPECT_EQ(parsed.length, 16u + 12u);
  EXPECT_EQ(format_ip_address(*parsed.source), "203.0.113.7");

  // IPv6, then an ALPN TLV ("h2") that is skipped.
  std::string v6(36, '\0');
  v6[0] = '\x20', v6[1] = '\x01', v6[2] = '\x0d', v6[3] = '\xb8', v6[15] = '\x07';
  const std::string tlv{"\x01\x00\x02h2", 5};
  parsed = parse_proxy_header(proxy_v2(1, 0x21, v6 + tlv));
  ASSERT_EQ(parsed.status, Status::complete) << parsed.error;
  EXPECT_EQ(parsed.length, 16u + 36u + 5u);
  EXPECT_EQ(format_ip_address(*parsed.source), "2001:db8::7");

  // LOCAL (HAProxy's own health check): complete, no client address.
  parsed = parse_proxy_header(proxy_v2(0, 0x00, ""));
  ASSERT_EQ(parsed.status, Status::complete);
  EXPECT_EQ(parsed.length, 16u);
  EXPECT_FALSE(parsed.source);
  // A UNIX socket's or UNSPEC's addresses are no client address either.
  parsed = parse_proxy_header(proxy_v2(1, 0x31, std::string(216, '\0')));
  ASSERT_EQ(parsed.status, Status::complete);
  EXPECT_FALSE(parsed.source);
}

TEST(ProxyHeader, EveryCutOfAHeaderIsIncompleteNeverInvalid) {
  for (const std::string& header : {std::string("PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n"),
                                    proxy_v2(1, 0x11, kV2Tcp4Body)}) {
    for (std::size_t n = 0; n < header.size(); ++n)
      EXPECT_EQ(parse_proxy_header(header.substr(0, n)).status, Status::incomplete) << n;
    EXPECT_EQ(parse_proxy_header(header).status, Status::complete);
  }
}

TEST(ProxyHeader, RefusesWhatIsNoHeaderOrABrokenOne) {
  for (const std::string& bad : {
           std::string("GET / HTTP/1.1\r\n\r\n"),   // a client that sent no header
           std::string("\x16\x03\x01\x02\x00", 5),  // a TLS ClientHello
           std::string("PROXY\r\n"),
           std::string("PROXYTCP4 1.2.3.4 1.2.3.5 1 2\r\n"),
           std::string("proxy TCP4 1.2.3.4 1.2.3.5 1 2\r\n"),
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 1 2\n"),     // bare LF
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 1 2\rX\n"),  // bare CR
           std::string("PROXY UNKNOWN \n\r\n"),                 // even after UNKNOWN
           std::string("PROXY UNKNOWN \rx\r\n"),
           std::string("PROXY TCP5 1.2.3.4 1.2.3.5 1 2\r\n"),
           std::string("PROXY TCP4 2001:db8::1 1.2.3.5 1 2\r\n"),  // family mismatch
           std::string("PROXY TCP6 1.2.3.4 2001:db8::1 1 2\r\n"),
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 1\r\n"),
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 1 2 3\r\n"),
           std::string("PROXY TCP4  1.2.3.4 1.2.3.5 1 2\r\n"),  // two spaces
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 65536 2\r\n"),
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 01 2\r\n"),
           std::string("PROXY TCP4 1.2.3.4 1.2.3.5 -1 2\r\n"),
           std::string("PROXY TCP4 1.2.3.999 1.2.3.5 1 2\r\n"),
           "PROXY TCP4 " + std::string(200, '1'),                            // no CRLF in 107 bytes
           kV2Signature + std::string("\x10\x11\x00\x0c", 4) + kV2Tcp4Body,  // version 1 in v2
           kV2Signature + std::string("\x22\x11\x00\x0c", 4) + kV2Tcp4Body,  // command 2
           proxy_v2(1, 0x11, kV2Tcp4Body.substr(0, 11)),                     // IPv4 cut short
           proxy_v2(1, 0x21, std::string(35, '\0')),                         // IPv6 cut short
           proxy_v2(1, 0x41, std::string(12, '\0')),                         // family 4
           proxy_v2(1, 0x13, std::string(12, '\0')),                         // transport 3
           kV2Signature + std::string("\x21\x11\xff\xff", 4),                // 64 KiB announced
           std::string("\r\n\r\n\0\r\nQUIX\n", 12),
       }) {
    const auto parsed = parse_proxy_header(bad);
    EXPECT_EQ(parsed.status, Status::invalid) << bad;
    EXPECT_FALSE(parsed.error.empty());
  }
}

TEST(ProxyHeader, ALongestHeaderIsTakenAndOneByteMoreIsNot) {
  // v1 at its 107 bytes: the spec's worst case, UNKNOWN with two full IPv6 addresses.
  const std::string v6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  const std::string longest = "PROXY UNKNOWN " + v6 + " " + v6 + " 65535 65535\r\n";
  ASSERT_EQ(longest.size(), kProxyV1MaxBytes);
  EXPECT_EQ(parse_proxy_header(longest).status, Status::complete);
  // v2 at our limit, and past it.
  EXPECT_EQ(parse_proxy_header(proxy_v2(1, 0x11, kV2Tcp4Body + std::string(500, '\0'))).status,
            Status::complete);
  EXPECT_EQ(parse_proxy_header(proxy_v2(1, 0x11, kV2Tcp4Body + std::string(501, '\0'))).status,
            Status::invalid);
}

}  // namespace
}  // namespace puente::core
