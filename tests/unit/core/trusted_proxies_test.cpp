// [node] trusted_proxies and the X-Forwarded-For walk (core/trusted_proxies.hpp): addresses and
// CIDR blocks of both families, and headers a client wrote to pass for someone else.
#include "core/trusted_proxies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace puente::core {
namespace {

TEST(TrustedProxies, ParsesAddressesOfBothFamiliesAndRefusesTheRest) {
  EXPECT_TRUE(parse_ip_address("203.0.113.7"));
  EXPECT_TRUE(parse_ip_address("2001:db8::1"));
  EXPECT_TRUE(parse_ip_address("::ffff:203.0.113.7"));
  for (const char* bad :
       {"", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4:80", "[2001:db8::1]", "1.2.3", "256.1.1.1",
        "01.2.3.4x", "fe80::1%eth0", "localhost", "1.2.3.4/32", "::ffff:1.2.3.4.5", "2001:db8:::1"})
    EXPECT_FALSE(parse_ip_address(bad)) << bad;
  // An IPv4-mapped address is its IPv4 address.
  EXPECT_EQ(parse_ip_address("::ffff:203.0.113.7"), parse_ip_address("203.0.113.7"));
  EXPECT_EQ(format_ip_address(*parse_ip_address("::ffff:203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(format_ip_address(*parse_ip_address("2001:0db8:0:0::0001")), "2001:db8::1");
}

TEST(TrustedProxies, RangesMatchTheirOwnAddressesOnly) {
  const TrustedProxies trusted({"10.0.0.0/8", "192.0.2.10", "2001:db8::/32", "::1"});
  EXPECT_TRUE(trusted.trusts("10.1.2.3"));
  EXPECT_TRUE(trusted.trusts("::ffff:10.1.2.3"));  // a dual-stack socket's spelling
  EXPECT_TRUE(trusted.trusts("192.0.2.10"));
  EXPECT_TRUE(trusted.trusts("2001:db8:ffff::7"));
  EXPECT_TRUE(trusted.trusts("::1"));
  EXPECT_FALSE(trusted.trusts("11.0.0.1"));
  EXPECT_FALSE(trusted.trusts("192.0.2.11"));
  EXPECT_FALSE(trusted.trusts("2001:db9::1"));
  EXPECT_FALSE(trusted.trusts("127.0.0.1"));
  EXPECT_FALSE(trusted.trusts("not an address"));
  // An IPv4 block never matches an IPv6 address that merely shares its bits.
  EXPECT_FALSE(TrustedProxies({"0.0.0.0/0"}).trusts("2001:db8::1"));
  EXPECT_TRUE(TrustedProxies({"0.0.0.0/0"}).trusts("198.51.100.1"));
  EXPECT_TRUE(TrustedProxies({"::/0"}).trusts("198.51.100.1"));
  EXPECT_TRUE(TrustedProxies().empty());
  EXPECT_FALSE(TrustedProxies().trusts("127.0.0.1"));
}

TEST(TrustedProxies, RefusesAMalformedEntryNamingIt) {
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1",
                          "10.0.0.0/8/8", "10.0.0.0/08x", "haproxy", ""}) {
    EXPECT_FALSE(parse_address_range(bad)) << bad;
    try {
      TrustedProxies trusted({bad});
      ADD_FAILURE() << bad << " was taken";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("\"") + bad + "\""), std::string::npos)
          << e.what();
    }
  }
}

TEST(TrustedProxies, ForwardedForIsReadOnlyFromATrustedPeer) {
  const TrustedProxies trusted({"10.0.0.0/8"});
  // A client that is no proxy writes what it likes: its own address counts.
  EXPECT_EQ(forwarded_client("198.51.100.9", "203.0.113.7", trusted), "198.51.100.9");
  EXPECT_EQ(forwarded_client("198.51.100.9", "", trusted), "198.51.100.9");
  // Nothing is trusted by default.
  EXPECT_EQ(forwarded_client("10.0.0.2", "203.0.113.7", TrustedProxies()), "10.0.0.2");
}

TEST(TrustedProxies, TheClientIsTheRightmostHopThatIsNoTrustedProxy) {
  const TrustedProxies trusted({"10.0.0.0/8", "2001:db8::/32"});
  EXPECT_EQ(forwarded_client("10.0.0.2", "203.0.113.7", trusted), "203.0.113.7");
  // Two proxies in a row (a CDN's edge, then HAProxy): both skipped.
  EXPECT_EQ(forwarded_client("10.0.0.2", "203.0.113.7, 10.9.9.9", trusted), "203.0.113.7");
  EXPECT_EQ(forwarded_client("10.0.0.2", "2001:db9::5,2001:db8::1", trusted), "2001:db9::5");
  // What the client wrote itself, left of what the proxy appended, is never read: a spoofed
  // first hop changes nothing.
  EXPECT_EQ(forwarded_client("10.0.0.2", "1.1.1.1, 203.0.113.7", trusted), "203.0.113.7");
  EXPECT_EQ(forwarded_client("10.0.0.2", "10.1.1.1, 203.0.113.7", trusted), "203.0.113.7");
  // Spaces and tabs around hops, several header lines joined with ",".
  EXPECT_EQ(forwarded_client("10.0.0.2", " 203.0.113.7 ,\t10.0.0.3 ", trusted), "203.0.113.7");
  // The mapped spelling is the IPv4 address.
  EXPECT_EQ(forwarded_client("::ffff:10.0.0.2", "::ffff:203.0.113.7", trusted), "203.0.113.7");
  // A proxy with no header: it is the client as far as anyone can tell.
  EXPECT_EQ(forwarded_client("10.0.0.2", "", trusted), "10.0.0.2");
  // Every hop a proxy: the leftmost is the best there is.
  EXPECT_EQ(forwarded_client("10.0.0.2", "10.0.0.5, 10.0.0.4", trusted), "10.0.0.5");
}

TEST(TrustedProxies, AHopThatIsNoAddressEndsTheWalkAtTheLastProxy) {
  const TrustedProxies trusted({"10.0.0.0/8"});
  for (const char* hostile :
       {"203.0.113.7, unknown", "203.0.113.7, 203.0.113.8:4711", "203.0.113.7,", ",", ",,,,",
        "203.0.113.7, [2001:db8::1]", "203.0.113.7, \"1.2.3.4\"", "x, 10.0.0.9, junk",
        "1.2.3.4, 203.0.113.7\r\n"})
    EXPECT_EQ(forwarded_client("10.0.0.2", hostile, trusted), "10.0.0.2") << hostile;
  EXPECT_EQ(forwarded_client("10.0.0.2", "203.0.113.7, junk, 10.0.0.9", trusted), "10.0.0.9");
  // A header as long as a header may be: still one address out.
  std::string long_header;
  for (int i = 0; i < 5000; ++i) long_header += "10.0.0.1, ";
  long_header += "203.0.113.7";
  EXPECT_EQ(forwarded_client("10.0.0.2", long_header, trusted), "203.0.113.7");
}

}  // namespace
}  // namespace puente::core
