#pragma once
// This node's signed-in sockets by the token each signed in with, so a token that is revoked
// or runs out closes its sockets at once (the token service sweeps them; see token_service.hpp).
//
// A whole sweep checks every socket's token, so it runs only when a token can have stopped being
// usable. A socket is registered here a Redis round trip after its token was checked (the hello's
// replay check), so a revocation swept in between would miss it: the tokens added since the last
// whole sweep are kept apart, and the service checks just those each second.

#include "app/refusal.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
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
  // The same for the tokens added since the last sweep of either kind only.
  std::size_t sign_out_added_unless(const std::function<bool(const std::string& token_id)>& keep,
                                    const std::function<Refusal(const std::string& token_id)>& why);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  using Peers = std::unordered_map<std::string, std::vector<std::weak_ptr<SignedInPeer>>>;
  using Leaving = std::vector<std::pair<std::string, std::shared_ptr<SignedInPeer>>>;
  // Takes the peers of the token at `it` into `leaving` and forgets the token (mutex_ held).
  static Peers::iterator take_peers(Peers& peers, Peers::iterator it, Leaving& leaving);
  static std::size_t sign_out(const Leaving& leaving,
                              const std::function<Refusal(const std::string& token_id)>& why);

  Peers by_token_;
  std::vector<std::string> added_;  // token ids added since the last sweep (repeats and all)
};

}  // namespace puente::app
