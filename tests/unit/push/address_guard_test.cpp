// The address guard: every range a push must not reach is refused, in each of its IPv4 and
// IPv6 spellings, and public addresses of the push services pass.
#include "channels/push/address_guard.hpp"

#include <gtest/gtest.h>

namespace puente::push {
namespace {

std::string refusal_of(const char* text) {
  const auto refusal = address_refusal(boost::asio::ip::make_address(text));
  return refusal ? std::string(*refusal) : "public";
}

TEST(AddressGuard, RefusesEachIpv4RangeAPushMustNotReach) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1", "loopback"},
      {"127.255.255.254", "loopback"},
      {"10.0.0.1", "private"},
      {"10.255.255.255", "private"},
      {"172.16.0.1", "private"},
      {"172.31.255.255", "private"},
      {"192.168.1.1", "private"},
      {"169.254.169.254", "link-local"},
      {"100.64.0.1", "carrier-grade NAT"},
      {"100.127.255.255", "carrier-grade NAT"},
      {"224.0.0.251", "multicast"},
      {"239.255.255.250", "multicast"},
      {"0.0.0.0", "unspecified"},
      {"0.1.2.3", "unspecified"},
      {"255.255.255.255", "reserved"},
      {"240.0.0.1", "reserved"},
      {"192.0.0.8", "reserved"},
      {"192.0.2.1", "documentation"},
      {"198.51.100.7", "documentation"},
      {"203.0.113.9", "documentation"},
      {"198.18.0.1", "benchmarking"},
  };
  for (const auto& [address, range] : cases) EXPECT_EQ(refusal_of(address), range) << address;
}

TEST(AddressGuard, TheEdgesOfEachPrivateRangeArePublic) {
  for (const char* address :
       {"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "192.169.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
        "169.253.255.255", "223.255.255.255", "142.250.72.10", "17.253.144.10"})
    EXPECT_EQ(refusal_of(address), "public") << address;
}

TEST(AddressGuard, RefusesEachIpv6Form) {
  const std::pair<const char*, const char*> cases[] = {
      {"::1", "loopback"},
      {"::", "unspecified"},
      {"fc00::1", "unique-local"},
      {"fd12:3456:789a::1", "unique-local"},
      {"fe80::1", "link-local"},
      {"febf:ffff::1", "link-local"},
      {"fec0::1", "site-local"},
      {"ff02::1", "multicast"},
      {"ff05::1:3", "multicast"},
      {"2001:db8::1", "documentation"},
      {"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
      // IPv4-mapped: the IPv4 host itself.
      {"::ffff:10.0.0.1", "private"},
      {"::ffff:127.0.0.1", "loopback"},
      {"::ffff:169.254.169.254", "link-local"},
      {"::ffff:192.168.0.1", "private"},
      {"::ffff:100.64.1.1", "carrier-grade NAT"},
      {"::ffff:0.0.0.0", "unspecified"},
      {"::ffff:7f00:1", "loopback"},  // the same, in hex
      // IPv4-compatible (deprecated), NAT64 and 6to4, each carrying a private IPv4 address.
      {"::127.0.0.1", "loopback"},
      {"::10.1.2.3", "private"},
      {"::8.8.8.8", "reserved"},
      {"64:ff9b::10.0.0.1", "private"},
      {"64:ff9b::7f00:1", "loopback"},
      {"2002:c0a8:0101::1", "private"},  // 6to4 of 192.168.1.1
      {"2002:7f00:0001::1", "loopback"},
  };
  for (const auto& [address, range] : cases) EXPECT_EQ(refusal_of(address), range) << address;
}

TEST(AddressGuard, PublicIpv6AndMappedPublicIpv4Pass) {
  for (const char* address :
       {"2607:f8b0:4005:80a::200a", "2a00:1450:4001:82b::200a", "::ffff:142.250.72.10",
        "64:ff9b::8.8.8.8", "2002:0808:0808::1", "fbff:ffff::1", "fe7f::1"})
    EXPECT_EQ(refusal_of(address), "public") << address;
}

}  // namespace
}  // namespace puente::push
