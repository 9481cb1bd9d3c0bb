#pragma once
// ServerMessages turned into hub frames, shared by every socket that takes them. A frame keeps
// its message and encodes each form (JSON or protobuf, in one of an alert's texts) when a socket
// first asks for it (net/hub_frame.hpp): most forms are read by no socket of a node.

#include "net/hub.hpp"
#include "puente/v1/puente.pb.h"
#include "store/tagged_alert.hpp"

#include <memory>
#include <string>
#include <vector>

namespace puente::app {

// The topic of a neighborhood's alerts is its slug; dispatchers' incident events go to this.
inline const std::string board_topic = "#board";

// Takes the alert by value: its recipients move into the frame instead of being copied there
// and cleared from the copy that is pushed.
std::shared_ptr<const net::HubFrame> alert_frame(v1::Alert alert);
// The same for a live alert, whose recipients were kept out of it: the frame keeps the bytes
// its ids are views into (store/tagged_alert.hpp).
std::shared_ptr<const net::HubFrame> alert_frame(store::LiveAlert live);
// Takes the event by value: it carries its alert whole, a hundred recipients' ids, moved into
// the frame instead of copied.
std::shared_ptr<const net::HubFrame> board_frame(v1::IncidentEvent event);

// Tells the board's followers that its events were interrupted (the node's subscription
// dropped; the board has no history): each is closed to reconnect and read the board whole.
std::shared_ptr<const net::HubFrame> board_gap_frame();

// One message for one socket, in the encoding it chose.
std::shared_ptr<const std::string> encode(const v1::ServerMessage& message, bool binary);

}  // namespace puente::app
