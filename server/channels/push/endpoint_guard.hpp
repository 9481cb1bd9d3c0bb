#pragma once
// Which subscription endpoints the server will POST to, before any address is looked up: an
// https:// URL (a push is a capability and carries an alert: never in clear) whose host is one
// of the network's allowed push services. The default list is the public push services of
// Chrome/Android, Firefox, Safari/iOS and Edge; a network that runs its own (UnifiedPush, ntfy)
// adds its host. What the host resolves to is judged afterwards (address_guard.hpp).
//
// A refusal names the rule and at most the host: the endpoint URL is a capability (whoever
// holds it can push to that phone) and never appears in a message or a log line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::push {

// An endpoint that passed the guard, taken apart for the connection.
struct PushEndpoint {
  std::string host;    // lowercase; an IPv6 literal without its brackets
  std::string port;    // "443" unless the URL names one
  std::string target;  // path and query, "/" at least: the request target
  std::string origin;  // "https://host[:port]" (no default port): the VAPID audience
};

struct EndpointCheck {
  std::optional<PushEndpoint> endpoint;
  std::string refusal;  // why not, when there is no endpoint
  // The URL is a well-formed https:// endpoint, but its host is not an allowed push service
  // (a phone's subscription then answers `endpoint_not_allowed`, not `bad_endpoint`).
  bool host_not_allowed = false;
};

// "fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com",
// "*.notify.windows.com".
const std::vector<std::string>& default_allowed_push_hosts();

// A host rule is a name ("fcm.googleapis.com", matched whole) or "*." and a suffix
// ("*.push.apple.com": web.push.apple.com, not push.apple.com itself). Case does not matter, nor
// a trailing dot on the host.
bool push_host_allowed(std::string_view host, const std::vector<std::string>& allowed_hosts);

// Parses `url` and applies the rules: https only, no user info, a host in `allowed_hosts`.
EndpointCheck check_push_endpoint(std::string_view url,
                                  const std::vector<std::string>& allowed_hosts);

}  // namespace puente::push
