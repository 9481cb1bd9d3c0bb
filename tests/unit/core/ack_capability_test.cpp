#include "core/ack_capability.hpp"

#include "core/base64url.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

using namespace std::chrono_literals;

const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1'780'000'000)};

AckCapability maria() {
  return {.alert_id = "alt-1",
          .responder_id = "obs-maria",
          .subscription_id = "psub-abc",
          .expires_at = kNow + 1h};
}

TEST(AckCapability, WhatIsMintedVerifiesUntilItExpires) {
  const AckCapabilityKey key(std::string(32, 'k'));
  const auto text = key.mint(maria());
  EXPECT_TRUE(text.starts_with("ac1."));
  EXPECT_EQ(key.verify(text, kNow), maria());
  EXPECT_EQ(key.verify(text, kNow + 59min), maria());
  EXPECT_EQ(key.verify(text, kNow + 1h), std::nullopt);
}

TEST(AckCapability, AnotherKeyRefusesIt) {
  const auto text = AckCapabilityKey(std::string(32, 'k')).mint(maria());
  EXPECT_EQ(AckCapabilityKey(std::string(32, 'j')).verify(text, kNow), std::nullopt);
}

TEST(AckCapability, ChangedClaimsOrSignatureAreRefused) {
  const AckCapabilityKey key(std::string(32, 'k'));
  const auto text = key.mint(maria());
  const auto dot = text.rfind('.');
  // Claims for another alert under the original signature.
  auto other = maria();
  other.alert_id = "alt-2";
  const auto forged_claims = key.mint(other).substr(0, key.mint(other).rfind('.'));
  EXPECT_EQ(key.verify(forged_claims + text.substr(dot), kNow), std::nullopt);
  // One signature character changed.
  auto flipped = text;
  flipped[dot + 3] = flipped[dot + 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(key.verify(flipped, kNow), std::nullopt);
  // Truncated, unprefixed, empty.
  EXPECT_EQ(key.verify(text.substr(0, dot), kNow), std::nullopt);
  EXPECT_EQ(key.verify(text.substr(4), kNow), std::nullopt);
  EXPECT_EQ(key.verify("", kNow), std::nullopt);
  EXPECT_EQ(key.verify("ac1..", kNow), std::nullopt);
}

TEST(AckCapability, ClaimsWithTheWrongShapeAreRefusedEvenWhenSigned) {
  // A key holder could sign anything; verify still checks the shape.
  const AckCapabilityKey key(std::string(32, 'k'));
  auto no_alert = maria();
  no_alert.alert_id = "";
  EXPECT_EQ(key.verify(key.mint(no_alert), kNow), std::nullopt);
  auto no_responder = maria();
  no_responder.responder_id = "";
  EXPECT_EQ(key.verify(key.mint(no_responder), kNow), std::nullopt);
  auto extra_line = maria();
  extra_line.responder_id = "obs-maria\nadmin";
  EXPECT_EQ(key.verify(key.mint(extra_line), kNow), std::nullopt);
}

TEST(AckCapability, AShortKeyIsRefused) {
  EXPECT_THROW(AckCapabilityKey(std::string(31, 'k')), std::invalid_argument);
}

}  // namespace
}  // namespace puente::core
