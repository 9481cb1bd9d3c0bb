// The content digest a key's entry keeps (core/idempotency.hpp): 16 bytes of SHA-256 in
// base64url, the first half of the hex digest entries held before issue 22; other content
// gives another.
#include "core/idempotency.hpp"

#include "core/base64url.hpp"
#include "core/bearer_token.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(ContentDigest, IsTheFirstSixteenBytesOfTheHexOneInBase64url) {
  v1::Report report;
  report.set_kind(v1::RAID);
  report.set_description("agents at the market");
  const auto digest = content_digest(report);
  ASSERT_EQ(digest.short_form.size(), 22u);
  const auto bytes = base64url_decode(digest.short_form);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(to_hex(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size()),
            digest.hex.substr(0, 32));
  EXPECT_EQ(digest.hex.size(), 64u);

  report.set_description("agents at the school");
  EXPECT_NE(content_digest(report).short_form, digest.short_form);
  EXPECT_NE(content_digest(report).hex, digest.hex);

  v1::Ack ack;
  ack.set_alert_id("al-1");
  EXPECT_EQ(content_digest(ack).short_form.size(), 22u);
  EXPECT_EQ(content_digest(ack).hex.size(), 64u);
  EXPECT_NE(content_digest(ack).short_form, content_digest(v1::Ack{}).short_form);
}

// A key's entry outlives the node that wrote it: a digest must not change from one version to
// the next (a retry would read as the key reused for other content). The numbers are printed as
// "%.17g" has always printed them.
TEST(ContentDigest, IsTheSameAcrossVersions) {
  v1::Report report;
  report.set_kind(v1::RAID);
  report.mutable_location()->set_lat(34.0335);
  report.mutable_location()->set_lon(-118.2110000000001);
  report.mutable_location()->set_description("car wash on César Chávez");
  report.set_description("agents at the car wash");
  report.set_language("es");
  report.set_neighborhood("boyle-heights");
  EXPECT_EQ(content_digest(report).hex,
            "69244a34501af195c0854c72a1c19bd7b0e6d1100952aa449fa2bfe3de69e27e");
  report.mutable_location()->set_lat(1e-300);
  report.mutable_location()->set_lon(-0.0);
  EXPECT_EQ(content_digest(report).hex,
            "77fa6ef53b2fbd6f8b0502ffd634e91adfd8c11e53301ec8852947dd85c72dd8");
}

}  // namespace
}  // namespace puente::core
