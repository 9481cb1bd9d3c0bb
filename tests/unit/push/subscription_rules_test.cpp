// A phone's subscription before it is stored: an endpoint the server would push to, keys that
// encrypt, a device name; each refusal has its own code and never quotes the endpoint.
#include "channels/push/subscription_rules.hpp"

#include "channels/push/endpoint_guard.hpp"
#include "channels/push/p256_key.hpp"
#include "core/base64url.hpp"

#include <gtest/gtest.h>

namespace puente::push {
namespace {

const std::string endpoint = "https://fcm.googleapis.com/fcm/send/secret-capability-123";

v1::PushSubscription good() {
  v1::PushSubscription s;
  s.set_endpoint(endpoint);
  s.mutable_keys()->set_p256dh(core::base64url_encode(P256Key::generate().public_point()));
  s.mutable_keys()->set_auth(core::base64url_encode(std::string(16, '\x07')));
  s.set_device("Teléfono de María");
  return s;
}

std::string code_of(const v1::PushSubscription& s) {
  auto problem = check_push_subscription(s, default_allowed_push_hosts());
  if (!problem) return "";
  EXPECT_EQ(problem->message.find("secret-capability"), std::string::npos) << problem->message;
  return problem->code;
}

TEST(SubscriptionRules, AGoodSubscriptionPasses) { EXPECT_EQ(code_of(good()), ""); }

TEST(SubscriptionRules, EndpointsThatAreNoHttpsUrlAreBad) {
  for (const char* url : {"", "http://fcm.googleapis.com/fcm/send/x", "fcm.googleapis.com/x",
                          "https://user@fcm.googleapis.com/x", "javascript:alert(1)"}) {
    auto s = good();
    s.set_endpoint(url);
    EXPECT_EQ(code_of(s), "bad_endpoint") << url;
  }
  auto s = good();
  s.set_endpoint("https://fcm.googleapis.com/" + std::string(max_endpoint_bytes, 'a'));
  EXPECT_EQ(code_of(s), "bad_endpoint");
}

TEST(SubscriptionRules, AHostOutsideTheAllowedOnesIsNotAllowed) {
  for (const char* url :
       {"https://evil.example/push/1", "https://127.0.0.1/push", "https://push.apple.com/x"}) {
    auto s = good();
    s.set_endpoint(url);
    EXPECT_EQ(code_of(s), "endpoint_not_allowed") << url;
  }
  auto own = good();
  own.set_endpoint("https://ntfy.example.org/up/abc");
  EXPECT_FALSE(check_push_subscription(own, {"ntfy.example.org"}));
}

TEST(SubscriptionRules, KeysMustBeAP256PointAnd16Bytes) {
  std::string off_curve(65, '\0');
  off_curve[0] = '\x04';
  off_curve[1] = '\x01';
  std::string compressed = P256Key::generate().public_point().substr(0, 33);
  compressed[0] = '\x02';
  for (const std::string& p256dh :
       {std::string(), std::string("not base64url!"), core::base64url_encode(off_curve),
        core::base64url_encode(compressed), core::base64url_encode(std::string(65, '\x04'))}) {
    auto s = good();
    s.mutable_keys()->set_p256dh(p256dh);
    EXPECT_EQ(code_of(s), "bad_push_keys") << p256dh;
  }
  for (const std::string& auth :
       {std::string(), core::base64url_encode(std::string(15, 'a')),
        core::base64url_encode(std::string(17, 'a')), std::string("a=")}) {
    auto s = good();
    s.mutable_keys()->set_auth(auth);
    EXPECT_EQ(code_of(s), "bad_push_keys") << auth;
  }
}

TEST(SubscriptionRules, TheDeviceIsNamedIn1To64PrintableCharacters) {
  for (const std::string& device : {std::string(), std::string(65, 'a'), std::string("two\nlines"),
                                    std::string("\xff\xfe"), std::string("cut \xc3")}) {
    auto s = good();
    s.set_device(device);
    EXPECT_EQ(code_of(s), "bad_device") << device;
  }
  // Characters, not bytes: 64 of them in 96 bytes pass, 65 do not.
  std::string enyes;
  for (int i = 0; i < 32; ++i) enyes += "\xc3\xb1";
  auto s = good();
  s.set_device(std::string(32, 'a') + enyes);
  EXPECT_EQ(code_of(s), "");
  s.set_device(std::string(33, 'a') + enyes);
  EXPECT_EQ(code_of(s), "bad_device");
}

}  // namespace
}  // namespace puente::push
