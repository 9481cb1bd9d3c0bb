#include "net/server_context.hpp"
#include "net/websocket_session.hpp"

namespace puente::net {

void OpenSockets::add(const std::shared_ptr<WebSocketSession>& session) {
  std::lock_guard lock(mutex_);
  sessions_[session.get()] = session;
}

void OpenSockets::remove(WebSocketSession* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

void OpenSockets::close_all() {
  std::vector<std::shared_ptr<WebSocketSession>> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : sessions_)
      if (auto session = weak.lock()) open.push_back(std::move(session));
  }
  for (auto& session : open)
    session->close(boost::beast::websocket::close_code::going_away, "node shutting down");
}

}  // namespace puente::net
