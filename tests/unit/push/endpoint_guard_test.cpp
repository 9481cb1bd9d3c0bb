// The endpoint guard: https only, a host from the allowed list (names and "*." suffix rules),
// the parts the connection needs, and refusals that never repeat the endpoint URL.
#include "channels/push/endpoint_guard.hpp"

#include <gtest/gtest.h>

namespace puente::push {
namespace {

const std::vector<std::string>& defaults() { return default_allowed_push_hosts(); }

TEST(EndpointGuard, DefaultListCoversTheBrowsersPushServices) {
  for (const char* host :
       {"fcm.googleapis.com", "updates.push.services.mozilla.com", "web.push.apple.com",
        "api.push.apple.com", "wns2-by3p.notify.windows.com", "FCM.GoogleAPIs.com",
        "fcm.googleapis.com."})
    EXPECT_TRUE(push_host_allowed(host, defaults())) << host;
}

TEST(EndpointGuard, SuffixRulesNeedALabelBeforeTheSuffixAndNamesMatchWhole) {
  for (const char* host :
       {"push.apple.com", "evilpush.apple.com", "apple.com", "notify.windows.com",
        "fcm.googleapis.com.evil.example", "evil-fcm.googleapis.com", "googleapis.com",
        "x.fcm.googleapis.com", "localhost", "127.0.0.1", ""})
    EXPECT_FALSE(push_host_allowed(host, defaults())) << host;
  EXPECT_TRUE(push_host_allowed("ntfy.example.org", {"ntfy.example.org"}));
  EXPECT_TRUE(push_host_allowed("a.b.up.example.org", {"*.up.example.org"}));
}

TEST(EndpointGuard, TakesAnAllowedEndpointApart) {
  const auto checked =
      check_push_endpoint("https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b?x=1", defaults());
  ASSERT_TRUE(checked.endpoint) << checked.refusal;
  EXPECT_EQ(checked.endpoint->host, "fcm.googleapis.com");
  EXPECT_EQ(checked.endpoint->port, "443");
  EXPECT_EQ(checked.endpoint->target, "/fcm/send/dGVzdA:APA91b?x=1");
  EXPECT_EQ(checked.endpoint->origin, "https://fcm.googleapis.com");

  const auto own =
      check_push_endpoint("https://Push.Example.org:8443/up/abc", {"push.example.org"});
  ASSERT_TRUE(own.endpoint) << own.refusal;
  EXPECT_EQ(own.endpoint->host, "push.example.org");
  EXPECT_EQ(own.endpoint->port, "8443");
  EXPECT_EQ(own.endpoint->origin, "https://push.example.org:8443");

  const auto explicit_default = check_push_endpoint("https://web.push.apple.com:443", defaults());
  ASSERT_TRUE(explicit_default.endpoint) << explicit_default.refusal;
  EXPECT_EQ(explicit_default.endpoint->origin, "https://web.push.apple.com");
  EXPECT_EQ(explicit_default.endpoint->target, "/");

  const auto ipv6 = check_push_endpoint("https://[2001:db8::1]:8443/p", {"2001:db8::1"});
  ASSERT_TRUE(ipv6.endpoint) << ipv6.refusal;
  EXPECT_EQ(ipv6.endpoint->host, "2001:db8::1");
  EXPECT_EQ(ipv6.endpoint->origin, "https://[2001:db8::1]:8443");
}

TEST(EndpointGuard, RefusesAnythingButHttpsToAnAllowedHost) {
  const std::pair<const char*, const char*> cases[] = {
      {"http://fcm.googleapis.com/fcm/send/secret-token", "not an https:// URL"},
      {"ftp://fcm.googleapis.com/x", "not an https:// URL"},
      {"wss://fcm.googleapis.com/x", "not an https:// URL"},
      {"//fcm.googleapis.com/x", "not an absolute URL"},
      {"fcm.googleapis.com/x", "not an absolute URL"},
      {"https://user:pw@fcm.googleapis.com/x", "user info"},
      {"https://evil.example/fcm/send/secret-token", "evil.example is not in [push] allowed_hosts"},
      {"https://127.0.0.1/secret-token", "127.0.0.1 is not in"},
      {"https://[::1]/secret-token", "::1 is not in"},
      {"https://fcm.googleapis.com%2eevil.example/x", "percent-encoded"},
      {"https://fcm.googleapis.com:99999/x", "port"},
      {"https:///x", "no host"},
      {"", "not an absolute URL"},
      {"https://fcm.googleapis.com/a b", "not an absolute URL"},
  };
  for (const auto& [url, why] : cases) {
    const auto checked = check_push_endpoint(url, defaults());
    EXPECT_FALSE(checked.endpoint) << url;
    EXPECT_NE(checked.refusal.find(why), std::string::npos) << url << ": " << checked.refusal;
    EXPECT_EQ(checked.refusal.find("secret-token"), std::string::npos)
        << "the refusal repeats the URL: " << checked.refusal;
  }
}

}  // namespace
}  // namespace puente::push
