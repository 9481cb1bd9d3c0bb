// Signs out the sockets of tokens that stop being usable (signed_in_sockets.hpp).
#include "app/live/signed_in_sockets.hpp"

#include <algorithm>
#include <iterator>

namespace puente::app {

void SignedInSockets::add(const std::string& token_id, std::weak_ptr<SignedInPeer> peer) {
  std::lock_guard lock(mutex_);
  by_token_[token_id].push_back(std::move(peer));
  added_.push_back(token_id);
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

SignedInSockets::Peers::iterator SignedInSockets::take_peers(Peers& peers, Peers::iterator it,
                                                             Leaving& leaving) {
  for (const auto& weak : it->second)
    if (auto peer = weak.lock()) leaving.emplace_back(it->first, std::move(peer));
  return peers.erase(it);
}

std::size_t SignedInSockets::sign_out(const Leaving& leaving,
                                      const std::function<Refusal(const std::string&)>& why) {
  // Outside the lock: a peer's own close comes back through remove().
  for (const auto& [token_id, peer] : leaving) peer->sign_out(why(token_id));
  return leaving.size();
}

std::size_t SignedInSockets::sign_out_unless(
    const std::function<bool(const std::string&)>& keep,
    const std::function<Refusal(const std::string&)>& why) {
  Leaving leaving;
  {
    std::lock_guard lock(mutex_);
    added_.clear();  // every token is checked now
    for (auto it = by_token_.begin(); it != by_token_.end();)
      it = keep(it->first) ? std::next(it) : take_peers(by_token_, it, leaving);
  }
  return sign_out(leaving, why);
}

std::size_t SignedInSockets::sign_out_added_unless(
    const std::function<bool(const std::string&)>& keep,
    const std::function<Refusal(const std::string&)>& why) {
  Leaving leaving;
  {
    std::lock_guard lock(mutex_);
    std::sort(added_.begin(), added_.end());
    added_.erase(std::unique(added_.begin(), added_.end()), added_.end());
    for (const auto& token_id : added_)
      // Gone already when its sockets closed, or signed out by a whole sweep since.
      if (auto it = by_token_.find(token_id); it != by_token_.end() && !keep(token_id))
        take_peers(by_token_, it, leaving);
    added_.clear();
  }
  return sign_out(leaving, why);
}

std::size_t SignedInSockets::size() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [token, peers] : by_token_) n += peers.size();
  return n;
}

}  // namespace puente::app
