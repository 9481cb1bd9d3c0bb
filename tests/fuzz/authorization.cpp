// Who an Authorization header says the caller is, as the routes read it
// (app/http/api_exchange.cpp, app/http/sms_routes.cpp): `Bearer` to a person's token, signed in
// against the roster and the issued tokens (also what a WebSocket's hello carries),
// `Capability` to a phone's ack capability, `Basic` to the SMS gateway's credentials. The input
// is the header's value.
//
// Beyond "no crash": a token signs in only the one responder it belongs to, and only as its own
// text; a capability is good only if the key signed it, names what it was minted for and has not
// expired; the gateway is let in only with its own credentials.

#include "fuzz_target.hpp"

#include "channels/sms/gateway_credentials.hpp"
#include "core/ack_capability.hpp"
#include "core/authorization_header.hpp"
#include "core/bearer_token.hpp"
#include "core/token_registry.hpp"

namespace puente::fuzz {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kRosterToken = "roster-token-of-ana";
constexpr std::string_view kIssuedToken = "issued-token-of-ben";
const auto kNow = std::chrono::system_clock::time_point(1796516635s);

const core::Roster& roster() {
  static const auto roster = core::Roster::from_toml(
      "[[responder]]\nid = \"obs-ana\"\nroles = [\"legal_observer\"]\nneighborhoods = "
      "[\"boyle-heights\"]\ntoken_sha256 = \"" +
      core::sha256_hex(kRosterToken) +
      "\"\n[[responder]]\nid = \"disp-ben\"\nroles = [\"dispatcher\"]\n");
  return roster;
}

const core::TokenRegistry& tokens() {
  static const auto registry = [] {
    auto r = std::make_unique<core::TokenRegistry>(roster());
    core::TokenRecord issued;
    issued.id = "tok-0123456789abcdef";
    issued.responder_id = "disp-ben";
    issued.sha256 = core::sha256_hex(kIssuedToken);
    issued.expires_at = kNow + 1h;
    r->replace_issued({issued});
    return r;
  }();
  return *registry;
}

const core::AckCapabilityKey& capability_key() {
  static const core::AckCapabilityKey key(std::string(32, 'c'));
  return key;
}

const sms::GatewayCredentials& gateway() {
  static const auto credentials = sms::GatewayCredentials::parse(
      "group = sendsms-user\nusername = puente\npassword = 0123456789abcdef0123\n\n"
      "group = sms-service\nkeyword = default\npost-url = "
      "\"http://kannel:fedcba9876543210fedc@127.0.0.1:8080/v1/sms/inbound?from=%p\"\n");
  return credentials;
}

}  // namespace
}  // namespace puente::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using namespace puente::fuzz;
  const auto header = as_text(data, size);

  if (const auto token = core::authorization_credentials(header, "Bearer")) {
    const auto sign_in = tokens().sign_in(*token, kNow);
    if (sign_in.who) {
      fuzz_check(!sign_in.failure, "a signed-in token also failed");
      fuzz_check((*token == kRosterToken && sign_in.who->id == "obs-ana") ||
                     (*token == kIssuedToken && sign_in.who->id == "disp-ben"),
                 "a token signed in someone it does not belong to");
    } else {
      fuzz_check(sign_in.failure.has_value(), "a refused token has no failure");
    }
  }

  if (const auto text = core::authorization_credentials(header, "Capability")) {
    if (const auto capability = capability_key().verify(*text, kNow)) {
      fuzz_check(capability->expires_at > kNow, "an expired capability was taken");
      fuzz_check(capability_key().verify(capability_key().mint(*capability), kNow) == capability,
                 "a capability minted again grants something else");
      fuzz_check(!core::AckCapabilityKey(std::string(32, 'x')).verify(*text, kNow),
                 "a capability is good under another key");
    }
  }

  // base64("kannel:fedcba9876543210fedc")
  if (gateway().authorizes(header))
    fuzz_check(
        core::authorization_credentials(header, "Basic") == "a2FubmVsOmZlZGNiYTk4NzY1NDMyMTBmZWRj",
        "the SMS gateway's route let in other credentials");
  return 0;
}
