#include "app/live/frames.hpp"

#include "puente/v1/json.hpp"

#include <algorithm>

namespace puente::app {

namespace {

net::HubFrame::Encoded encoded(const v1::ServerMessage& message) {
  return {std::make_shared<const std::string>(wire::to_json(message)),
          std::make_shared<const std::string>(message.SerializeAsString())};
}

}  // namespace

std::shared_ptr<const net::HubFrame> alert_frame(v1::Alert alert) {
  auto frame = std::make_shared<net::HubFrame>();
  frame->topic = alert.neighborhood();
  if (auto offset = core::StreamOffset::parse(alert.offset())) frame->offset = *offset;
  auto& recipients = *alert.mutable_recipients();
  frame->recipients.assign(std::make_move_iterator(recipients.begin()),
                           std::make_move_iterator(recipients.end()));
  std::sort(frame->recipients.begin(), frame->recipients.end());
  frame->incident_id = alert.incident_id();
  frame->alert_id = alert.id();

  // What a responder's socket carries: no one else's ids, `text` in their language, and
  // `texts`, so a page read in another language than the roster's shows it in that one
  // (issue 20).
  v1::ServerMessage message;
  auto* pushed = message.mutable_alert();
  *pushed = std::move(alert);
  pushed->clear_recipients();
  pushed->clear_sent_by();  // who sent a step: for dispatchers only
  frame->encoded = encoded(message);
  const std::string default_text = pushed->text();
  for (const auto& [language, text] : pushed->texts()) {
    if (text == default_text) {  // the same message: encoded once
      frame->localized[language] = frame->encoded;
      continue;
    }
    pushed->set_text(text);
    frame->localized[language] = encoded(message);
  }
  return frame;
}

std::shared_ptr<const net::HubFrame> board_frame(const v1::IncidentEvent& event) {
  v1::ServerMessage message;
  *message.mutable_incident() = event;
  auto frame = std::make_shared<net::HubFrame>();
  frame->topic = board_topic;
  frame->encoded = encoded(message);
  return frame;
}

std::shared_ptr<const std::string> encode(const v1::ServerMessage& message, bool binary) {
  return std::make_shared<const std::string>(binary ? message.SerializeAsString()
                                                    : wire::to_json(message));
}

}  // namespace puente::app
