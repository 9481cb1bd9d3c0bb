#include "app/frames.hpp"

#include "puente/v1/json.hpp"

namespace puente::app {

namespace {

std::shared_ptr<net::HubFrame> frame_of(const v1::ServerMessage& message) {
  auto frame = std::make_shared<net::HubFrame>();
  frame->json = std::make_shared<const std::string>(wire::to_json(message));
  frame->binary = std::make_shared<const std::string>(message.SerializeAsString());
  return frame;
}

}  // namespace

std::shared_ptr<const net::HubFrame> alert_frame(const v1::Alert& alert) {
  v1::ServerMessage message;
  *message.mutable_alert() = alert;
  auto frame = frame_of(message);
  frame->topic = alert.neighborhood();
  if (auto offset = core::StreamOffset::parse(alert.offset())) frame->offset = *offset;
  frame->audience.assign(alert.audience().begin(), alert.audience().end());
  return frame;
}

std::shared_ptr<const net::HubFrame> board_frame(const v1::IncidentEvent& event) {
  v1::ServerMessage message;
  *message.mutable_incident() = event;
  auto frame = frame_of(message);
  frame->topic = board_topic;
  return frame;
}

std::shared_ptr<const std::string> encode(const v1::ServerMessage& message, bool binary) {
  return std::make_shared<const std::string>(binary ? message.SerializeAsString() : wire::to_json(message));
}

}  // namespace puente::app
