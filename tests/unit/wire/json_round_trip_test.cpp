// The proto3 JSON mapping as the contract promises it: lowerCamelCase out, both spellings in,
// enums by name, unknown fields refused, and JSON -> protobuf -> JSON without loss.
#include "puente/v1/json.hpp"
#include "puente/v1/puente.pb.h"

#include <gtest/gtest.h>

namespace puente::v1 {
namespace {

TEST(WireJson, ReportsRoundTripThroughJsonAndBinary) {
  Report report;
  report.set_kind(RAID);
  report.mutable_location()->set_lat(34.0335);
  report.mutable_location()->set_lon(-118.211);
  report.mutable_location()->set_description("car wash on César Chávez");
  report.set_language("es");
  report.set_idempotency_key("call-1");
  report.mutable_received_at()->set_seconds(1795946476);
  report.mutable_received_at()->set_nanos(123000000);

  auto json = wire::to_json(report);
  EXPECT_NE(json.find(R"("idempotencyKey":"call-1")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("kind":"RAID")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("receivedAt":"2026-11-29T10:01:16.123Z")"), std::string::npos) << json;

  Report back;
  ASSERT_EQ(wire::from_json(json, back), "");
  EXPECT_EQ(back.SerializeAsString(), report.SerializeAsString());

  Report from_binary;
  ASSERT_TRUE(from_binary.ParseFromString(report.SerializeAsString()));
  EXPECT_EQ(wire::to_json(from_binary), json);
}

TEST(WireJson, AcceptsProtoFieldNamesToo) {
  Ack ack;
  ASSERT_EQ(wire::from_json(R"({"alert_id":"al-1","incidentId":"inc-1","state":"ON_SCENE"})", ack),
            "");
  EXPECT_EQ(ack.alert_id(), "al-1");
  EXPECT_EQ(ack.incident_id(), "inc-1");
  EXPECT_EQ(ack.state(), ON_SCENE);
}

TEST(WireJson, RefusesUnknownFieldsBadEnumsAndWrongTypes) {
  Report report;
  EXPECT_NE(wire::from_json(R"({"kind":"RAID","severity":3})", report), "");
  EXPECT_NE(wire::from_json(R"({"kind":"STAMPEDE"})", report), "");
  EXPECT_NE(wire::from_json(R"({"location":{"lat":"north"}})", report), "");
  EXPECT_NE(wire::from_json(R"({"kind":)", report), "");
}

TEST(WireJson, ServerMessagesCarryTheirOneofByName) {
  ServerMessage message;
  message.mutable_alert()->set_type(DISPATCH);
  message.mutable_alert()->set_offset("1795946476079-0");
  message.set_request_id("r1");
  auto json = wire::to_json(message);
  EXPECT_EQ(json, R"({"alert":{"offset":"1795946476079-0","type":"DISPATCH"},"requestId":"r1"})");
  ServerMessage back;
  ASSERT_EQ(wire::from_json(json, back), "");
  EXPECT_TRUE(back.has_alert());
}

TEST(WireJson, AClientHelloParsesAsTheContractShowsIt) {
  ClientMessage message;
  ASSERT_EQ(
      wire::from_json(
          R"({"hello":{"token":"t","subscriptions":[{"neighborhood":"boyle-heights","sinceOffset":"1-0"}]}})",
          message),
      "");
  ASSERT_TRUE(message.has_hello());
  EXPECT_EQ(message.hello().subscriptions(0).since_offset(), "1-0");
}

// Found by fuzzing: the parser's words quote the input, and an error body quoting bytes that are
// not UTF-8 could not be parsed by the client it was sent to.
TEST(WireJson, AnErrorNeverQuotesInvalidUtf8) {
  for (const char* json : {"{\"kind\":\"RAID\",\"description\":\"on\xe0\x92\x86 \xff\"}",
                           "{\"description\":\"\xed\xa0\x80\", \"kind\":1",  // a surrogate
                           "{\"description\":\"caf\xc3\xa9\", \"kind\":}"}) {
    Report report;
    const auto why = wire::from_json(json, report);
    ASSERT_FALSE(why.empty()) << json;
    ErrorBody error;
    error.set_message(why);
    ErrorBody back;
    EXPECT_TRUE(back.ParseFromString(error.SerializeAsString())) << why;  // checks UTF-8
    EXPECT_EQ(wire::from_json(wire::to_json(error), back), "") << why;
  }
}

}  // namespace
}  // namespace puente::v1
