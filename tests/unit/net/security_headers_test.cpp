// The headers every answer carries: a strict Content-Security-Policy, which lets in the one tile
// origin a network configured (img-src only) and nothing else.
#include "net/http_types.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace puente::net {
namespace {

constexpr auto npos = std::string::npos;

TEST(SecurityHeaders, AStrictPolicyWithNoInlineCode) {
  Response response{http::status::ok, 11};
  add_security_headers(response, content_security_policy());
  auto csp = std::string(response["Content-Security-Policy"]);
  EXPECT_NE(csp.find("default-src 'self'"), npos);
  EXPECT_NE(csp.find("connect-src 'self'"), npos);
  // Images from this origin and data: URLs alone: without tiles the pages load nothing else.
  EXPECT_NE(csp.find("img-src 'self' data:;"), npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), npos);
  EXPECT_EQ(csp.find("unsafe"), npos);
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["Referrer-Policy"], "no-referrer");
}

TEST(SecurityHeaders, AConfiguredTileOriginIsLetIntoImagesAndNowhereElse) {
  auto csp = content_security_policy("https://tiles.example.org");
  EXPECT_NE(csp.find("img-src 'self' data: https://tiles.example.org;"), npos) << csp;
  EXPECT_EQ(csp.find("tiles.example.org"), csp.rfind("tiles.example.org")) << "named once: " << csp;
  EXPECT_NE(csp.find("default-src 'self';"), npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self';"), npos) << csp;
  EXPECT_NE(csp.find("script-src 'self';"), npos) << csp;
}

TEST(SecurityHeaders, AnOriginThatWouldAddADirectiveIsRefused) {
  for (const char* bad :
       {"https://a.example; script-src *", "https://a.example,https://b.example",
        "https://a.example *", "https://a.example\r\nSet-Cookie: x=1", "'unsafe-inline'"})
    EXPECT_THROW(content_security_policy(bad), std::invalid_argument) << bad;
}

}  // namespace
}  // namespace puente::net
