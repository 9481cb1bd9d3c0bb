#pragma once
// This node's signed-in sockets by the token each signed in with, so a token that is revoked
// or runs out closes its sockets at once (the token service sweeps them; see token_service.hpp).

#include "app/refusal.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace puente::app {

class SignedInPeer {
 public:
  virtual ~SignedInPeer() = default;
  // Tells the client why (an error message) and closes the socket. Must not block.
  virtual void sign_out(const Refusal& why) = 0;
};

class SignedInSockets {
 public:
  void add(const std::string& token_id, std::weak_ptr<SignedInPeer> peer);
  void remove(const std::string& token_id, const SignedInPeer* peer);
  // Signs out every socket whose token fails `keep`, with the refusal `why` gives for it;
  // returns how many.
  std::size_t sign_out_unless(const std::function<bool(const std::string& token_id)>& keep,
                              const std::function<Refusal(const std::string& token_id)>& why);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<SignedInPeer>>> by_token_;
};

}  // namespace puente::app
