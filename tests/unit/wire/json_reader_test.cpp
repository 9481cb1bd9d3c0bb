// Puente's JSON reader against protobuf's parser: on every message type of puente.proto filled
// with random values and printed by protobuf (both field spellings), and on hand-made requests,
// whatever the reader takes it reads into the same message protobuf does; what it declines,
// from_json answers with protobuf's words.
#include "puente/v1/json_reader.hpp"
#include "puente/v1/json.hpp"
#include "puente/v1/puente.pb.h"
#include "random_message.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <gtest/gtest.h>

#include <memory>

namespace puente::wire {
namespace {

using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

// What protobuf's parser makes of `json`, as a fresh message of `type`; null if it refuses.
std::unique_ptr<Message> protobuf_reads(const Message& type, const std::string& json) {
  std::unique_ptr<Message> m(type.New());
  if (!google::protobuf::util::JsonStringToMessage(json, m.get()).ok()) return nullptr;
  return m;
}

// True if the reader took `json` whole; then it must have read what protobuf reads.
bool reads_as_protobuf_does(const Message& type, const std::string& json) {
  std::unique_ptr<Message> ours(type.New());
  if (!read_json(json, *ours)) return false;
  auto theirs = protobuf_reads(type, json);
  EXPECT_TRUE(theirs) << "the reader took what protobuf refuses: " << json;
  if (theirs) {
    EXPECT_TRUE(MessageDifferencer::Equals(*ours, *theirs))
        << json << "\nours:\n"
        << ours->DebugString() << "protobuf's:\n"
        << theirs->DebugString();
  }
  return true;
}

TEST(JsonReader, ReadsWhatProtobufPrintsAsProtobufDoes) {
  google::protobuf::LogSilencer quiet;
  std::size_t read = 0, declined = 0;
  for (const auto* type : test::every_message_type()) {
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
    for (unsigned seed = 1; seed <= 60; ++seed) {
      std::unique_ptr<Message> m(prototype->New());
      test::RandomFill(seed * 7907).message(*m, 0);
      for (bool proto_names : {false, true}) {
        google::protobuf::util::JsonPrintOptions options;
        options.preserve_proto_field_names = proto_names;
        std::string json;
        if (!google::protobuf::util::MessageToJsonString(*m, &json, options).ok()) continue;
        (reads_as_protobuf_does(*prototype, json) ? read : declined)++;
      }
    }
  }
  // Timestamps, maps, NaN and unknown enum numbers are declined; the rest is read.
  EXPECT_GT(read, 500u);
  EXPECT_GT(declined, 500u);
}

TEST(JsonReader, ReadsRequestsAsProtobufDoes) {
  const v1::Report report;
  const v1::ClientMessage socket_message;
  for (
      const char* json : {
          R"({"kind":"RAID","location":{"lat":34.0335,"lon":-118.211,"description":"car wash on César Chávez"}})",
          R"( { "kind" : "ARREST" , "neighborhood" : "boyle-heights" , "idempotencyKey" : "k-1" } )",
          R"({"idempotency_key":"proto name","location":{"lat":-0.0,"lon":1e2}})",
          R"({"description":"tab\t quote\" slash\/ backslash\\ \u00e9 \ud83d\ude00 nul\u0000 \u2028"})",
          R"({"location":{"lat":1.7976931348623157e308,"lon":4.9e-324}})",
          R"({"location":{"lat":0.30000000000000004,"lon":123456789012345678901234567890}})",
          R"({})",
      })
    EXPECT_TRUE(reads_as_protobuf_does(report, json)) << json;
  for (
      const char* json : {
          R"({"ack":{"alertId":"al-1","incidentId":"inc-1","state":"EN_ROUTE","note":"5 min"}})",
          R"({"hello":{"token":"t","subscriptions":[{"neighborhood":"boyle-heights","sinceOffset":"1-0"},{"neighborhood":"downtown"}]}})",
          R"({"ping":{}})",
      })
    EXPECT_TRUE(reads_as_protobuf_does(socket_message, json)) << json;
  EXPECT_TRUE(reads_as_protobuf_does(v1::TokenRequest(), R"({"expiresInSeconds":"86400"})"));
  EXPECT_TRUE(reads_as_protobuf_does(v1::AuditEntry(), R"({"sequence":"18446744073709551615"})"));
  EXPECT_TRUE(reads_as_protobuf_does(v1::AuditEntry(), R"({"sequence":7})"));
}

TEST(JsonReader, DeclinesWhatItLeavesToProtobufAndFromJsonAnswersAsProtobuf) {
  const v1::Report report;
  for (const char* json : {
           "",
           "[]",
           "null",
           R"({"kind":"RAID"} trailing)",
           R"({"kind":"RAID",})",
           R"({"kind" "RAID"})",
           R"({"unknownField":1})",
           R"({"kind":"FAST"})",
           R"({"kind":3})",
           R"({"kind":null})",
           R"({"receivedAt":"2026-11-29T20:00:00Z"})",
           R"({"location":{"lat":"34.0"}})",
           R"({"location":{"lat":NaN}})",
           R"({"location":{"lat":1e400}})",
           R"({"location":{"lat":01}})",
           R"({"location":{"lat":.5}})",
           R"({"location":{"lat":-0}})",
           R"({"description":"lone \ud800 surrogate"})",
           R"({"description":"bad \x escape"})",
           "{\"description\":\"raw \x01 control\"}",
           "{\"description\":\"not utf-8 \xff\"}",
           R"({"description":"unterminated)",
           R"({"language":5})",
       }) {
    std::unique_ptr<Message> ours(report.New());
    EXPECT_FALSE(read_json(json, *ours)) << json;
    v1::Report through_from_json;
    const auto why = from_json(json, through_from_json);
    auto theirs = protobuf_reads(report, json);
    EXPECT_EQ(why.empty(), theirs != nullptr) << json;
    if (theirs) {
      EXPECT_TRUE(MessageDifferencer::Equals(through_from_json, *theirs)) << json;
    }
  }
  // Two members of one oneof, and a 64-bit integer in a form the reader leaves alone.
  EXPECT_FALSE(reads_as_protobuf_does(v1::ClientMessage(), R"({"ping":{},"ack":{}})"));
  EXPECT_FALSE(reads_as_protobuf_does(v1::AuditEntry(), R"({"sequence":"007"})"));
  EXPECT_FALSE(reads_as_protobuf_does(v1::AuditEntry(), R"({"sequence":"-0"})"));
}

// Issue 15: protobuf's parser takes the last of a repeated key, so {"state":"EN_ROUTE",
// "state":"DECLINED"} is one thing to a proxy that logs the first and another to the node.
TEST(JsonReader, AKeyGivenTwiceInOneObjectIsRefusedNamingIt) {
  for (auto [json, key] :
       {std::pair{R"({"kind":"RAID","kind":"ARREST"})", "kind"},
        std::pair{R"({"kind":"RAID","location":{"lat":34,"lat":35}})", "lat"},
        std::pair{R"({"kind":"RAID","k\u0069nd":"ARREST"})", "kind"},
        std::pair{R"({"receivedAt":"2026-11-29T20:00:00Z","kind":"RAID","kind":"RAID"})", "kind"},
        std::pair{R"({"description":"a","description":"a"})", "description"}}) {
    v1::Report report;
    auto why = from_json(json, report);
    EXPECT_NE(why.find("\"" + std::string(key) + "\" is given twice"), std::string::npos)
        << json << " -> " << why;
  }
  // The same key in two objects, or in an array's objects, is no repeat.
  v1::Report report;
  EXPECT_EQ(from_json(R"({"location":{"lat":34.03,"lon":-118.21},"kind":"RAID"})", report), "");
  v1::IncidentList list;
  EXPECT_EQ(from_json(R"({"incidents":[{"id":"a"},{"id":"b"}]})", list), "");
  EXPECT_EQ(list.incidents_size(), 2);
}

}  // namespace
}  // namespace puente::wire
