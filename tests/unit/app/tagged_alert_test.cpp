// A live alert read for the hub (store/tagged_alert.hpp): its recipients taken from the bytes,
// the rest parsed, is what parse_tagged_alert gives, its recipients apart, for the bytes the
// store writes and for bytes in any order the parser takes; it refuses what the parser refuses.
#include "store/tagged_alert.hpp"

#include "store/stored_alert.hpp"

#include "puente/v1/wire_fields.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>

namespace puente::store {
namespace {

using google::protobuf::util::MessageDifferencer;

// An alert as the writer makes it: `text` one of `texts` (left out of the stored bytes), a
// location, a time, recipients and who sent it.
v1::Alert made_alert() {
  v1::Alert alert;
  alert.set_id("al-1");
  alert.set_incident_id("in-1");
  alert.set_neighborhood("boyle-heights");
  alert.set_type(v1::VERIFY);
  alert.set_text("Redada en Boyle Heights");
  (*alert.mutable_texts())["es"] = "Redada en Boyle Heights";
  (*alert.mutable_texts())["en"] = "Raid in Boyle Heights";
  alert.mutable_location()->set_lat(34.0335);
  alert.mutable_location()->set_lon(-118.211);
  alert.mutable_sent_at()->set_seconds(1700000000);
  for (const char* id : {"r-00000000000000b2", "r-00000000000000a1", "r-00000000000000c3"})
    alert.add_recipients(id);
  alert.set_escalation_step(2);
  alert.set_sent_by("d-0000000000000001");
  return alert;
}

// What parse_tagged_alert gives for `payload`, its recipients moved into `recipients`.
v1::Alert parsed_whole(const std::string& payload, std::vector<std::string>& recipients) {
  v1::Alert alert;
  EXPECT_TRUE(parse_tagged_alert(payload, alert));
  recipients.assign(alert.recipients().begin(), alert.recipients().end());
  alert.clear_recipients();
  return alert;
}

void expect_as_parsed_whole(const std::string& payload) {
  std::vector<std::string> recipients;
  const auto whole = parsed_whole(payload, recipients);
  LiveAlert live;
  ASSERT_TRUE(parse_live_alert(payload, live));
  EXPECT_EQ(std::vector<std::string>(live.recipients.begin(), live.recipients.end()), recipients);
  EXPECT_EQ(live.alert.recipients_size(), 0);
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  // Unknown fields too (the differencer compares them): they go to binary sockets as they came.
  EXPECT_TRUE(differencer.Compare(whole, live.alert)) << differences;
}

TEST(LiveAlert, IsTheStoredAlertAsParsedWholeWithItsRecipientsApart) {
  const auto payload = "1700000000000-0 " + stored_alert(made_alert());
  expect_as_parsed_whole(payload);
  LiveAlert live;
  ASSERT_TRUE(parse_live_alert(payload, live));
  EXPECT_EQ(live.alert.offset(), "1700000000000-0");
  EXPECT_EQ(live.alert.texts().at("es"), "Redada en Boyle Heights");  // put back
  EXPECT_TRUE(live.alert.text_language().empty());
  EXPECT_EQ(live.alert.sent_by(), "d-0000000000000001");
  EXPECT_EQ(live.recipients,
            (std::vector<std::string_view>{"r-00000000000000b2", "r-00000000000000a1",
                                           "r-00000000000000c3"}));
}

// Ids whose length is a byte and those whose length is not (128 and more), empty ones, and a
// recipient whose tag is written in two bytes (a varint's longer form, which parsers take): the
// short ones are read apart from the general walk, and all read as the parser reads them.
TEST(LiveAlert, RecipientsOfEveryLengthAndTagFormReadAsTheParserReadsThem) {
  v1::Alert alert = made_alert();
  alert.clear_recipients();
  for (std::size_t length : {0, 1, 20, 126, 127, 128, 129, 300, 20})
    alert.add_recipients(std::string(length, static_cast<char>('a' + length % 26)));
  std::string bytes = alert.SerializeAsString();
  // Field 11, wire type 2, as the two-byte varint 0xda 0x00.
  bytes += "\xda";
  bytes += '\0';
  bytes += "\x05r-end";
  const auto payload = "1-0 " + bytes;
  expect_as_parsed_whole(payload);
  LiveAlert live;
  ASSERT_TRUE(parse_live_alert(payload, live));
  ASSERT_EQ(live.recipients.size(), 10u);
  EXPECT_EQ(live.recipients[5], std::string(128, 'a' + 128 % 26));
  EXPECT_EQ(live.recipients.back(), "r-end");
}

// A recipient's length byte saying more than is left: refused, as by the parser.
TEST(LiveAlert, ARecipientLongerThanTheBytesLeftIsRefused) {
  std::string bytes = stored_alert(made_alert());
  bytes += static_cast<char>((v1::Alert::kRecipientsFieldNumber << 3) | 2);
  bytes += "\x10r-short";
  v1::Alert whole;
  EXPECT_FALSE(parse_tagged_alert("1-0 " + bytes, whole));
  LiveAlert live;
  EXPECT_FALSE(parse_live_alert("1-0 " + bytes, live));
}

// The ids are views into the read's own copy of the message: they outlive the payload read.
TEST(LiveAlert, RecipientsOutliveThePayloadTheyWereReadFrom) {
  LiveAlert live;
  {
    auto payload = std::make_unique<std::string>("1-0 " + stored_alert(made_alert()));
    ASSERT_TRUE(parse_live_alert(*payload, live));
  }  // freed: a view into it would be read after its free (AddressSanitizer)
  LiveAlert moved = std::move(live);
  EXPECT_EQ(moved.recipients,
            (std::vector<std::string_view>{"r-00000000000000b2", "r-00000000000000a1",
                                           "r-00000000000000c3"}));
}

TEST(LiveAlert, RecipientsAmongOtherFieldsAnywhereReadTheSame) {
  // Fields out of number order, the id twice (the last wins) and the location in two parts
  // (they merge): what a parser takes from concatenated messages.
  v1::Alert first, middle, last;
  first.add_recipients("r-1");
  first.set_id("al-old");
  middle.mutable_location()->set_lat(34.0);
  middle.add_recipients("r-2");
  middle.add_recipients("r-3");
  last.set_id("al-1");
  last.mutable_location()->set_lon(-118.2);
  last.add_recipients("r-4");
  expect_as_parsed_whole("1-0 " + first.SerializeAsString() + middle.SerializeAsString() +
                         last.SerializeAsString());
}

TEST(LiveAlert, ARecipientFieldNotLengthDelimitedStaysAnUnknownField) {
  std::string bytes = made_alert().SerializeAsString();
  bytes += static_cast<char>(v1::Alert::kRecipientsFieldNumber << 3);  // a varint
  bytes += '\x07';
  expect_as_parsed_whole("1-0 " + bytes);
  LiveAlert live;
  ASSERT_TRUE(parse_live_alert("1-0 " + bytes, live));
  EXPECT_EQ(live.recipients.size(), 3u);
}

TEST(LiveAlert, BytesTheWalkRefusesButTheParserTakesAreParsedWhole) {
  // Field 50 as a group (start, a varint inside, end): proto3 never writes one, the parser
  // keeps it as unknown.
  std::string bytes = made_alert().SerializeAsString();
  bytes += "\x93\x03\x08\x01\x94\x03";
  expect_as_parsed_whole("1-0 " + bytes);
}

TEST(LiveAlert, RefusesWhatTheParserRefuses) {
  const auto bytes = stored_alert(made_alert());
  LiveAlert live;
  EXPECT_FALSE(parse_live_alert(bytes, live)) << "no offset";
  EXPECT_FALSE(parse_live_alert(" " + bytes, live)) << "an empty offset";
  EXPECT_FALSE(parse_live_alert("1-0 " + bytes.substr(0, bytes.size() - 1), live)) << "cut short";
  std::string bad_location = bytes;
  wire::append_length_delimited(bad_location, v1::Alert::kLocationFieldNumber, "\x09\x01");
  EXPECT_FALSE(parse_live_alert("1-0 " + bad_location, live)) << "a location cut short";
  std::string bad_text = bytes;
  wire::append_length_delimited(bad_text, v1::Alert::kNoteFieldNumber, "\xff\xfe");
  EXPECT_FALSE(parse_live_alert("1-0 " + bad_text, live)) << "a note that is not UTF-8";
}

}  // namespace
}  // namespace puente::store
