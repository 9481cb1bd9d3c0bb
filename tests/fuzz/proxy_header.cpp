// The bytes a peer sends first, as a node would read them from a listed proxy: the PROXY header
// (core/proxy_header.hpp), fed whole and cut at every length, and the X-Forwarded-For walk
// (core/trusted_proxies.hpp) over the same bytes as a header.
//
// Beyond "no crash": a complete header never claims more bytes than it was given nor more than
// the protocol's limit; a cut of a complete header is never invalid (the node would close a
// proxy's connection that was only slow); the walk's answer is the peer or an address.

#include "fuzz_target.hpp"

#include "core/proxy_header.hpp"
#include "core/trusted_proxies.hpp"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using puente::core::ProxyHeader;
  using puente::fuzz::fuzz_check;
  const auto bytes = puente::fuzz::as_text(data, size);

  const auto parsed = puente::core::parse_proxy_header(bytes);
  if (parsed.status == ProxyHeader::Status::complete) {
    fuzz_check(parsed.length > 0 && parsed.length <= bytes.size(), "length within the input");
    fuzz_check(
        parsed.length <= std::max(puente::core::kProxyV1MaxBytes, puente::core::kProxyV2MaxBytes),
        "length within the protocol's limit");
    for (std::size_t n = 0; n < parsed.length; ++n)
      fuzz_check(puente::core::parse_proxy_header(bytes.substr(0, n)).status ==
                     ProxyHeader::Status::incomplete,
                 "a cut of a complete header is incomplete");
  }
  if (parsed.status == ProxyHeader::Status::invalid)
    fuzz_check(!parsed.error.empty(), "an invalid header says why");

  static const puente::core::TrustedProxies trusted({"10.0.0.0/8", "2001:db8::/32"});
  const auto client = puente::core::forwarded_client("10.0.0.2", bytes, trusted);
  fuzz_check(client == "10.0.0.2" || puente::core::parse_ip_address(client).has_value(),
             "the client is the peer or an address");
  return 0;
}
