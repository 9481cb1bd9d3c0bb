// The Authorization header as a node reads it: `Bearer <token>` and `Capability <capability>`.

#include "core/authorization_header.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(AuthorizationHeader, TheCredentialsFollowTheScheme) {
  EXPECT_EQ(authorization_credentials("Bearer s3cret", "Bearer"), "s3cret");
  EXPECT_EQ(authorization_credentials("Capability ac1.x.y", "Capability"), "ac1.x.y");
}

TEST(AuthorizationHeader, TheSchemeIsMatchedWithoutRegardToCase) {
  // RFC 9110 11.1: "It uses a case-insensitive token to identify the authentication scheme".
  EXPECT_EQ(authorization_credentials("bearer s3cret", "Bearer"), "s3cret");
  EXPECT_EQ(authorization_credentials("BEARER s3cret", "Bearer"), "s3cret");
  EXPECT_EQ(authorization_credentials("capability ac1.x.y", "Capability"), "ac1.x.y");
}

TEST(AuthorizationHeader, SpacesAfterTheSchemeAreSkippedAndTheCredentialsKeptAsSent) {
  EXPECT_EQ(authorization_credentials("Bearer   s3cret", "Bearer"), "s3cret");
  EXPECT_EQ(authorization_credentials("Bearer s3cret ", "Bearer"), "s3cret ");
}

TEST(AuthorizationHeader, AnotherSchemeOrNoCredentialsIsNone) {
  EXPECT_EQ(authorization_credentials("", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Bearer", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Bearer ", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Bearer    ", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Bearers3cret", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Basic dXNlcjpwYXNz", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Capability ac1.x.y", "Bearer"), std::nullopt);
  EXPECT_EQ(authorization_credentials("Bearer s3cret", "Capability"), std::nullopt);
}

}  // namespace
}  // namespace puente::core
