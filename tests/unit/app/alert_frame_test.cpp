// An alert's hub frame: each form, encoded when a socket first reads it, is the bytes the
// frame carried before forms were lazy (the alert without recipients and sender, `text` in the
// reader's language, in JSON or protobuf), and a language whose text is the default shares the
// default's buffer.
#include "app/live/frames.hpp"

#include "puente/v1/json.hpp"
#include "store/stored_alert.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <memory>

namespace puente::app {
namespace {

v1::Alert three_language_alert() {
  v1::Alert alert;
  alert.set_id("al-1");
  alert.set_incident_id("in-1");
  alert.set_neighborhood("boyle-heights");
  alert.set_offset("1700000000000-0");
  alert.set_text("Raid reported");
  (*alert.mutable_texts())["en"] = "Raid reported";
  (*alert.mutable_texts())["es"] = "Redada reportada";
  (*alert.mutable_texts())["zh"] = "Raid reported";  // no translation: the default text
  for (const char* id : {"obs-c", "obs-a", "obs-b"}) alert.add_recipients(id);
  alert.set_sent_by("dispatcher-1");
  return alert;
}

// What a reader of `text` gets, built as the frame did before its forms were lazy.
v1::ServerMessage pushed(const std::string& text) {
  v1::ServerMessage message;
  *message.mutable_alert() = three_language_alert();
  message.mutable_alert()->clear_recipients();
  message.mutable_alert()->clear_sent_by();
  message.mutable_alert()->set_text(text);
  return message;
}

TEST(AlertFrame, EachFormIsTheAlertForItsReaderWithoutRecipientsOrSender) {
  auto frame = alert_frame(three_language_alert());
  EXPECT_EQ(frame->topic, "boyle-heights");
  EXPECT_EQ(frame->incident_id, "in-1");
  EXPECT_EQ(frame->alert_id, "al-1");
  EXPECT_EQ(frame->recipients, (std::vector<std::string_view>{"obs-a", "obs-b", "obs-c"}));

  for (const char* language : {"en", "es", "zh", "fr"}) {
    const std::string text = std::string(language) == "es" ? "Redada reportada" : "Raid reported";
    const auto reads = frame->text_for(language);
    EXPECT_EQ(*frame->bytes(reads, false), wire::to_json(pushed(text))) << language;
    v1::ServerMessage binary;
    ASSERT_TRUE(binary.ParseFromString(*frame->bytes(reads, true))) << language;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(binary, pushed(text)))
        << language;
  }
  // A text equal to the default is not encoded again.
  EXPECT_EQ(frame->bytes(frame->text_for("zh"), false).get(),
            frame->bytes(frame->text_for("en"), false).get());
  EXPECT_NE(frame->bytes(frame->text_for("es"), false).get(),
            frame->bytes(frame->text_for("en"), false).get());
}

TEST(AlertFrame, TheDefaultTextIsPutBackAfterAnotherLanguagesFormIsEncoded) {
  auto frame = alert_frame(three_language_alert());
  frame->bytes(frame->text_for("es"), true);  // encoded first: the text swapped and put back
  EXPECT_EQ(*frame->bytes(frame->text_for("en"), false), wire::to_json(pushed("Raid reported")));
}

TEST(AlertFrame, RecipientsKeptOutOfTheAlertMakeTheSameFrame) {
  // As the live feed makes it: the ids read from the bytes, never parsed into the alert. The
  // message they were read from and the read itself are gone before the frame is used: the
  // frame keeps the bytes its ids view (AddressSanitizer would see a read after free).
  std::shared_ptr<const net::HubFrame> frame;
  {
    auto payload = std::make_unique<std::string>("1700000000000-0 " +
                                                 store::stored_alert(three_language_alert()));
    store::LiveAlert live;
    ASSERT_TRUE(store::parse_live_alert(*payload, live));
    frame = alert_frame(std::move(live));
  }
  auto parsed = alert_frame(three_language_alert());
  EXPECT_EQ(frame->recipients, parsed->recipients);
  EXPECT_EQ(frame->topic, parsed->topic);
  EXPECT_EQ(frame->offset, parsed->offset);
  for (const char* language : {"en", "es", "zh", "fr"}) {
    EXPECT_EQ(frame->text_for(language), parsed->text_for(language));
    const auto text = frame->text_for(language);
    EXPECT_EQ(*frame->bytes(text, false), *parsed->bytes(text, false)) << language;
    v1::ServerMessage binary, before;
    ASSERT_TRUE(binary.ParseFromString(*frame->bytes(text, true)));
    ASSERT_TRUE(before.ParseFromString(*parsed->bytes(text, true)));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(binary, before)) << language;
  }
}

TEST(BoardFrame, CarriesTheIncidentEvent) {
  v1::IncidentEvent event;
  event.set_incident_id("in-1");
  event.set_what("reported");
  auto frame = board_frame(event);
  EXPECT_EQ(frame->topic, board_topic);
  v1::ServerMessage message;
  *message.mutable_incident() = event;
  EXPECT_EQ(*frame->bytes(0, false), wire::to_json(message));
  EXPECT_EQ(*frame->bytes(0, true), message.SerializeAsString());
}

}  // namespace
}  // namespace puente::app
