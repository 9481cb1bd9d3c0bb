// What a node signs in an issued-token record: every field that gives the token its rights or
// its life changes the signed text, and fields that cannot be confused run together.
#include "core/token_record.hpp"

#include "core/clock.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace puente::core {
namespace {

v1::IssuedToken issued_record() {
  v1::IssuedToken record;
  record.set_id("tok-1");
  record.set_responder_id("vol-bh");
  record.set_token_sha256(std::string(64, 'a'));
  *record.mutable_created_at() = timestamp_from_ms(1796566800000);
  record.set_issued_by("admin");
  return record;
}

TEST(TokenRecord, EveryFieldOfRightsOrLifeIsSigned) {
  const auto signed_text = token_record_statement(issued_record());
  const std::vector<std::function<void(v1::IssuedToken&)>> changes{
      [](auto& r) { r.set_id("tok-2"); },
      [](auto& r) { r.set_responder_id("admin"); },
      [](auto& r) { r.set_token_sha256(std::string(64, 'b')); },
      [](auto& r) { *r.mutable_created_at() = timestamp_from_ms(1796566800001); },
      [](auto& r) { *r.mutable_expires_at() = timestamp_from_ms(1796566900000); },
      [](auto& r) { *r.mutable_revoked_at() = timestamp_from_ms(1796566900000); },
      [](auto& r) { r.set_device(true); },
      [](auto& r) { r.set_issued_by("disp"); },
      [](auto& r) { r.set_note("Maria's phone"); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    auto record = issued_record();
    changes[i](record);
    EXPECT_NE(token_record_statement(record), signed_text) << "change " << i << " is not signed";
  }
  // The signature and the token's text (only in an answer) are not part of what is signed.
  auto record = issued_record();
  record.set_signature(std::string(64, 'x'));
  record.set_token("the-token");
  EXPECT_EQ(token_record_statement(record), signed_text);
}

TEST(TokenRecord, FieldsCannotBeShiftedIntoOneAnother) {
  auto one = issued_record();
  one.set_id("tok-1a");
  one.set_responder_id("dmin");
  auto other = issued_record();
  other.set_id("tok-1");
  other.set_responder_id("admin");
  EXPECT_NE(token_record_statement(one), token_record_statement(other));
}

}  // namespace
}  // namespace puente::core
