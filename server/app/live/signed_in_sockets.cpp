#include "app/live/signed_in_sockets.hpp"

#include <algorithm>

namespace puente::app {

void SignedInSockets::add(const std::string& token_id, std::weak_ptr<SignedInPeer> peer) {
  std::lock_guard lock(mutex_);
  by_token_[token_id].push_back(std::move(peer));
}

void SignedInSockets::remove(const std::string& token_id, const SignedInPeer* peer) {
  std::lock_guard lock(mutex_);
  auto it = by_token_.find(token_id);
  if (it == by_token_.end()) return;
  std::erase_if(it->second, [peer](const auto& weak) {
    auto live = weak.lock();
    return !live || live.get() == peer;
  });
  if (it->second.empty()) by_token_.erase(it);
}

std::size_t SignedInSockets::sign_out_unless(
    const std::function<bool(const std::string&)>& keep,
    const std::function<Refusal(const std::string&)>& why) {
  std::vector<std::pair<std::string, std::shared_ptr<SignedInPeer>>> leaving;
  {
    std::lock_guard lock(mutex_);
    for (auto it = by_token_.begin(); it != by_token_.end();) {
      if (keep(it->first)) {
        ++it;
        continue;
      }
      for (const auto& weak : it->second)
        if (auto peer = weak.lock()) leaving.emplace_back(it->first, std::move(peer));
      it = by_token_.erase(it);
    }
  }
  // Outside the lock: a peer's own close comes back through remove().
  for (const auto& [token_id, peer] : leaving) peer->sign_out(why(token_id));
  return leaving.size();
}

std::size_t SignedInSockets::size() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [token, peers] : by_token_) n += peers.size();
  return n;
}

}  // namespace puente::app
