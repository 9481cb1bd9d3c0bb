#pragma once
// Failed sign-ins summed per client address over a window (a minute by default), for the audit
// log: a flood of bad tokens from one address becomes one entry naming the address and the
// count, not an entry per token (bad hellos alone made ~240 MB of never-purged audit log a day
// per node, and buried the real events). A window's entries are capped too: past
// `max_addresses` addresses the quieter ones are summed in one more entry, so a flood from many
// addresses stays as small. Memory is capped the same way: past `max_tracked` addresses in one
// window, further ones are only counted, in that sum.
//
// Why each sign-in failed (unknown, expired, revoked token) and the ids of known tokens that
// were presented are kept for the operators; the client was told less (app/refusal.hpp). A
// token itself is never handed in.
//
// Plain data with no clock: the caller closes a window when it ends (app/access/audit_trail.cpp).

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace puente::core {

struct SignInFailureCount {
  std::string address;          // the client's IP; empty in the entry that sums the rest
  std::uint64_t count = 0;      // failed sign-ins
  std::uint64_t addresses = 1;  // how many addresses `count` covers (other than 1 only in the sum)
  bool untold = false;          // the sum also holds addresses past max_tracked, not told apart
  std::map<std::string, std::uint64_t> by_reason;  // "socket revoked" -> 2, "http unknown" -> 9
  std::vector<std::string> token_ids;              // known tokens presented (revoked, expired)

  // "14 failed sign-ins in 60 s: http revoked 2, socket unknown 12; tokens tok-1a2b"
  std::string describe(std::chrono::seconds window) const;
};

class SignInFailureTally {
 public:
  static constexpr std::size_t max_token_ids = 5;  // named per entry; more are only counted

  explicit SignInFailureTally(std::size_t max_addresses = 10, std::size_t max_tracked = 10000);

  // One failed sign-in from `address`: `reason` says where and why ("socket unknown");
  // `token_id` names the token when it is a known one (else empty).
  void add(const std::string& address, std::string_view reason, const std::string& token_id);
  bool empty() const { return by_address_.empty() && rest_.count == 0; }
  // The window's entries: the busiest addresses first, at most max_addresses of them, then one
  // summing the rest if there is any. The tally starts over, empty.
  std::vector<SignInFailureCount> close_window();

 private:
  static void count(SignInFailureCount& entry, std::string_view reason,
                    const std::string& token_id);
  static void merge(SignInFailureCount& into, const SignInFailureCount& entry);
  static SignInFailureCount empty_rest();

  std::size_t max_addresses_;
  std::size_t max_tracked_;
  std::unordered_map<std::string, SignInFailureCount> by_address_;
  SignInFailureCount rest_ = empty_rest();  // addresses past max_tracked
};

}  // namespace puente::core
