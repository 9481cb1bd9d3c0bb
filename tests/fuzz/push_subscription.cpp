// A phone's Web Push subscription as POST /v1/me/push-subscriptions takes it: the body as
// JSON (the input) into a PushSubscription, then the checks before it is stored
// (channels/push/subscription_rules.hpp: the endpoint, the keys, the device's name).
//
// Beyond "no crash": an accepted subscription has an https endpoint on an allowed push service,
// a p256dh that is a point on P-256 and a 16-byte auth secret; a refusal never quotes the
// endpoint (a capability: whoever holds it can push to the phone) or a key.

#include "fuzz_target.hpp"

#include "channels/push/endpoint_guard.hpp"
#include "channels/push/subscription_rules.hpp"
#include "core/base64url.hpp"
#include "puente/v1/json.hpp"

namespace puente::fuzz {
namespace {

// Long enough that finding it in a refusal's words means it was quoted, not a coincidence (the
// words are the node's own: nothing steers the fuzzer to them). A refusal may name the host,
// which is not the secret part of an endpoint; the whole endpoint holds more than its host.
bool quoted_in(const std::string& secret, const std::string& words) {
  return secret.size() >= 16 && words.find(secret) != std::string::npos;
}

}  // namespace
}  // namespace puente::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using namespace puente::fuzz;
  quiet_protobuf();
  v1::PushSubscription phone;
  if (!wire::from_json(as_text(data, size), phone).empty()) return 0;

  const auto& allowed = push::default_allowed_push_hosts();
  if (const auto refused = push::check_push_subscription(phone, allowed)) {
    fuzz_check(!refused->code.empty() && !refused->message.empty(), "a refusal does not say why");
    fuzz_check(!quoted_in(phone.endpoint(), refused->message) &&
                   !quoted_in(phone.keys().p256dh(), refused->message) &&
                   !quoted_in(phone.keys().auth(), refused->message),
               "a refusal quotes the endpoint or a key");
    return 0;
  }
  const auto endpoint = push::check_push_endpoint(phone.endpoint(), allowed);
  fuzz_check(endpoint.endpoint.has_value(), "an accepted subscription's endpoint is refused");
  fuzz_check(endpoint.endpoint->origin.starts_with("https://") &&
                 push::push_host_allowed(endpoint.endpoint->host, allowed) &&
                 endpoint.endpoint->target.starts_with("/"),
             "an accepted endpoint is not https on an allowed push service");
  fuzz_check(core::base64url_decode(phone.keys().p256dh()).value_or("").size() == 65,
             "an accepted p256dh is not an uncompressed point");
  fuzz_check(core::base64url_decode(phone.keys().auth()).value_or("").size() == 16,
             "an accepted auth secret is not 16 bytes");
  return 0;
}
