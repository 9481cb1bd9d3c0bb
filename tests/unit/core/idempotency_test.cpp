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

}  // namespace
}  // namespace puente::core
