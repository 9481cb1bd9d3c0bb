#pragma once
// The secrets puented and Kannel share, read from the one file both use (deploy/kannel/README.md):
// the Kannel config fragment that kannel.conf includes, holding
//
//   group = sendsms-user           # puented -> Kannel: smsbox's sendsms interface
//   username = puente
//   password = <32 hex digits>
//
//   group = sms-service            # Kannel -> puented: replies, posted to the inbound route
//   keyword = default
//   post-url = "http://kannel:<32 hex digits>@127.0.0.1:8080/v1/sms/inbound?from=%p&..."
//   ...
//
// Kannel turns the user:password of a post-url (and of a dlr-url) into an `Authorization: Basic`
// header (Kannel 1.4.5's HTTP client does; tests/integration/sms_gateway checks it against the
// real smsbox), so no secret travels in a path or a query that a proxy or an access log could
// keep. puented's inbound and delivery-report routes accept a request only with that header.
// One file means the two sides can never disagree after a rotation: rewrite it, restart both.
//
// The names and passwords are limited to letters, digits and "._~-" so they go into a URL's
// userinfo and query without escaping. Nothing here is ever logged.

#include <filesystem>
#include <string>
#include <string_view>

namespace puente::sms {

struct GatewayCredentials {
  std::string sendsms_username;  // Kannel's sendsms-user: what puented presents
  std::string sendsms_password;
  std::string gateway_username;  // the sms-service's post-url user: what Kannel presents
  std::string gateway_password;

  // Parses the fragment. Throws std::runtime_error naming the group and key at fault (a missing
  // group or key, a post-url without user:password@, characters outside "A-Za-z0-9._~-", a
  // password shorter than 16 characters), never quoting a secret.
  static GatewayCredentials parse(std::string_view kannel_config);
  // Reads and parses the file; the error names the file.
  static GatewayCredentials load(const std::filesystem::path& path);

  // Whether an `Authorization` header value is Kannel's ("Basic " + base64 of user:password).
  // Compared in constant time.
  bool authorizes(std::string_view authorization) const;

  // "user:password@", to put after "http://" in a dlr-url so the report comes back authorized.
  std::string userinfo() const;
};

inline constexpr std::size_t kMinPasswordLength = 16;

}  // namespace puente::sms
