// Walking a serialized message's fields (puente/v1/wire_fields.hpp): each field comes out whole
// and in order, with its number, wire type and payload; bytes that are not a message's stop the
// walk and say so; a field appended to a message's bytes parses as if it had been set.
#include "puente/v1/wire_fields.hpp"
#include "puente/v1/puente.pb.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <vector>

namespace puente::wire {
namespace {

// Every wire type proto3 writes: varints (type, escalation_step), length-delimited (strings,
// a message, map entries, repeated strings) and, in the location, 64-bit doubles.
v1::Alert sample_alert() {
  v1::Alert alert;
  alert.set_id("al-1");
  alert.set_type(v1::DISPATCH);
  alert.set_escalation_step(300);  // two bytes of varint
  alert.mutable_location()->set_lat(34.0335);
  alert.mutable_location()->set_lon(-118.211);
  alert.set_text("Redada en Boyle Heights");
  (*alert.mutable_texts())["es"] = "Redada en Boyle Heights";
  (*alert.mutable_texts())["en"] = "Raid in Boyle Heights";
  for (const char* id : {"obs-a", "obs-b", "vol-c"}) alert.add_recipients(id);
  alert.set_note(std::string(200, 'n'));  // a length past one byte of varint
  return alert;
}

TEST(WireFields, EachFieldComesOutWholeAndInOrder) {
  const auto bytes = sample_alert().SerializeAsString();
  std::string joined;
  std::vector<int> numbers;
  std::vector<std::string> recipients;
  ASSERT_TRUE(for_each_field(bytes, [&](const WireField& field) {
    joined.append(field.bytes);
    numbers.push_back(field.number);
    if (field.number == v1::Alert::kRecipientsFieldNumber) {
      EXPECT_TRUE(field.length_delimited());
      recipients.emplace_back(field.payload());
    }
    if (field.number == v1::Alert::kTypeFieldNumber) {
      EXPECT_EQ(field.wire_type, 0);
      EXPECT_TRUE(field.payload().empty());
    }
    if (field.number == v1::Alert::kNoteFieldNumber) {
      EXPECT_EQ(field.payload().size(), 200u);
    }
  }));
  EXPECT_EQ(joined, bytes) << "a field's bytes are missing or repeated";
  EXPECT_EQ(recipients, (std::vector<std::string>{"obs-a", "obs-b", "vol-c"}));
  EXPECT_TRUE(std::is_sorted(numbers.begin(), numbers.end()));
  EXPECT_EQ(std::count(numbers.begin(), numbers.end(), v1::Alert::kTextsFieldNumber), 2);
}

TEST(WireFields, AFieldWithSixtyFourBitsIsEightBytes) {
  v1::Location location;
  location.set_lat(34.0335);
  const auto bytes = location.SerializeAsString();
  int seen = 0;
  ASSERT_TRUE(for_each_field(bytes, [&](const WireField& field) {
    ++seen;
    EXPECT_EQ(field.wire_type, 1);
    EXPECT_EQ(field.bytes.size(), 9u);  // a one-byte tag and the double
  }));
  EXPECT_EQ(seen, 1);
}

TEST(WireFields, BytesThatAreNotAMessageStopTheWalk) {
  const auto bytes = sample_alert().SerializeAsString();
  // Cut inside the last field: every field before it is visited, then the walk fails.
  int whole = 0;
  for_each_field(bytes, [&](const WireField&) { ++whole; });
  int visited = 0;
  EXPECT_FALSE(for_each_field(std::string_view(bytes).substr(0, bytes.size() - 1),
                              [&](const WireField&) { ++visited; }));
  EXPECT_EQ(visited, whole - 1);

  for (const std::string& bad : {std::string("\x0b", 1),      // wire type 3, a group
                                 std::string("\x00\x01", 2),  // field number 0
                                 std::string("\x0a\x05"
                                             "ab",
                                             4),                   // a length past the end
                                 std::string("\x08\xff\xff", 3)})  // a varint cut short
    EXPECT_FALSE(for_each_field(bad, [](const WireField&) {})) << testing::PrintToString(bad);
  EXPECT_TRUE(for_each_field("", [](const WireField&) { ADD_FAILURE() << "no field in nothing"; }));
}

TEST(WireFields, AnAppendedFieldParsesAsIfItHadBeenSet) {
  const auto alert = sample_alert();
  v1::IncidentEvent event;
  event.set_incident_id("inc-1");
  event.set_what("reported");
  auto bytes = event.SerializeAsString();
  append_length_delimited(bytes, v1::IncidentEvent::kAlertFieldNumber, alert.SerializeAsString());

  v1::IncidentEvent parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  *event.mutable_alert() = alert;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, event))
      << parsed.ShortDebugString();
}

}  // namespace
}  // namespace puente::wire
