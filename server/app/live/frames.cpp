#include "app/live/frames.hpp"

#include "puente/v1/json.hpp"

#include <algorithm>

namespace puente::app {

namespace {

std::string encoded(const v1::ServerMessage& message, bool binary) {
  return binary ? message.SerializeAsString() : wire::to_json(message);
}

// A ServerMessage as a hub frame. Text 0 is the message as it is; text i > 0 is an alert with
// `text` set to other_texts_[i - 1] (a language whose text differs from the default).
class MessageFrame final : public net::HubFrame {
 public:
  // `languages`: which languages read which text (those not named read text 0).
  MessageFrame(v1::ServerMessage message, std::vector<std::string> other_texts,
               std::vector<std::pair<std::string, std::size_t>> languages = {})
      : HubFrame(other_texts.size() + 1),
        message_(std::move(message)),
        other_texts_(std::move(other_texts)) {
    for (auto& [language, text] : languages) read_in(std::move(language), text);
  }

  // HubFrame::bytes calls this under the frame's lock, one form at a time: the alert's text may
  // be swapped for another language's and put back, instead of copying the whole alert.
  std::string encode(std::size_t text, bool binary) const override {
    if (text == 0) return encoded(message_, binary);
    auto* alert = message_.mutable_alert();
    std::string default_text = std::move(*alert->mutable_text());
    alert->set_text(other_texts_[text - 1]);
    auto bytes = encoded(message_, binary);
    alert->set_text(std::move(default_text));
    return bytes;
  }

 private:
  mutable v1::ServerMessage message_;
  std::vector<std::string> other_texts_;
};

// The frame of `alert` (its recipients cleared), before its recipients are set.
std::shared_ptr<MessageFrame> frame_of(v1::Alert alert) {
  // What a responder's socket carries: no one else's ids, `text` in their language, and
  // `texts`, so a page read in another language than the roster's shows it in that one
  // (issue 20).
  alert.clear_recipients();  // none when they were kept out of it
  alert.clear_sent_by();     // who sent a step: for dispatchers only
  // Each language whose text differs from the default reads its own; the others share text 0.
  std::vector<std::string> other_texts;
  std::vector<std::pair<std::string, std::size_t>> languages;
  for (const auto& [language, text] : alert.texts()) {
    if (text == alert.text()) continue;
    other_texts.push_back(text);
    languages.emplace_back(language, other_texts.size());
  }

  auto topic = alert.neighborhood();
  auto offset = core::StreamOffset::parse(alert.offset());
  auto incident_id = alert.incident_id(), alert_id = alert.id();
  v1::ServerMessage message;
  *message.mutable_alert() = std::move(alert);
  auto frame = std::make_shared<MessageFrame>(std::move(message), std::move(other_texts),
                                              std::move(languages));
  frame->topic = std::move(topic);
  if (offset) frame->offset = *offset;
  frame->incident_id = std::move(incident_id);
  frame->alert_id = std::move(alert_id);
  return frame;
}

}  // namespace

std::shared_ptr<const net::HubFrame> alert_frame(v1::Alert alert) {
  auto& recipients = *alert.mutable_recipients();
  std::vector<std::string> ids(std::make_move_iterator(recipients.begin()),
                               std::make_move_iterator(recipients.end()));
  auto frame = frame_of(std::move(alert));
  frame->set_recipients(std::move(ids));
  return frame;
}

std::shared_ptr<const net::HubFrame> alert_frame(store::LiveAlert live) {
  auto frame = frame_of(std::move(live.alert));
  frame->set_recipients(std::move(live.bytes), std::move(live.recipients));
  return frame;
}

std::shared_ptr<const net::HubFrame> board_frame(v1::IncidentEvent event) {
  v1::ServerMessage message;
  *message.mutable_incident() = std::move(event);
  auto frame = std::make_shared<MessageFrame>(std::move(message), std::vector<std::string>{});
  frame->topic = board_topic;
  return frame;
}

std::shared_ptr<const net::HubFrame> board_gap_frame() {
  auto frame = std::make_shared<MessageFrame>(v1::ServerMessage{}, std::vector<std::string>{});
  frame->topic = board_topic;
  frame->gap = true;
  return frame;
}

std::shared_ptr<const std::string> encode(const v1::ServerMessage& message, bool binary) {
  return std::make_shared<const std::string>(encoded(message, binary));
}

}  // namespace puente::app
