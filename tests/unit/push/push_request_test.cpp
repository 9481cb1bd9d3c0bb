// The request of one push: its RFC 8030 headers, and Topics a push service accepts.
#include "channels/push/push_request.hpp"

#include <gtest/gtest.h>

namespace puente::push {
namespace {

using namespace std::chrono_literals;

TEST(PushRequest, CarriesTheRfc8030HeadersAndTheEncryptedBody) {
  const auto endpoint =
      check_push_endpoint("https://fcm.googleapis.com/fcm/send/abc", default_allowed_push_hosts());
  ASSERT_TRUE(endpoint.endpoint);
  const auto request =
      make_push_request(*endpoint.endpoint, std::string("\x01\x02", 2),
                        {3600s, Urgency::high, topic_for("inc-42")}, "vapid t=a.b.c, k=K");
  EXPECT_EQ(request.method(), boost::beast::http::verb::post);
  EXPECT_EQ(request.target(), "/fcm/send/abc");
  EXPECT_EQ(request["Host"], "fcm.googleapis.com");
  EXPECT_EQ(request["TTL"], "3600");
  EXPECT_EQ(request["Urgency"], "high");
  EXPECT_EQ(request["Topic"], topic_for("inc-42"));
  EXPECT_EQ(request["Content-Encoding"], "aes128gcm");
  EXPECT_EQ(request["Content-Type"], "application/octet-stream");
  EXPECT_EQ(request["Authorization"], "vapid t=a.b.c, k=K");
  EXPECT_EQ(request["Content-Length"], "2");
  EXPECT_EQ(request.body(), std::string("\x01\x02", 2));
}

TEST(PushRequest, NoTopicHeaderWithoutATopicAndThePortInHostWhenNot443) {
  const auto endpoint =
      check_push_endpoint("https://ntfy.example.org:8443/up/x", {"ntfy.example.org"});
  ASSERT_TRUE(endpoint.endpoint);
  const auto request =
      make_push_request(*endpoint.endpoint, "", {0s, Urgency::very_low, ""}, "vapid t=x, k=y");
  EXPECT_EQ(request.count("Topic"), 0u);
  EXPECT_EQ(request["Host"], "ntfy.example.org:8443");
  EXPECT_EQ(request["TTL"], "0");
  EXPECT_EQ(request["Urgency"], "very-low");
}

TEST(PushTopic, DerivedTopicsAre32Base64urlCharactersOnePerKey) {
  const auto topic = topic_for("01JDZ8Y5N3A7H2ZK0D4QX6R9TB");
  EXPECT_EQ(topic.size(), 32u);
  EXPECT_TRUE(valid_topic(topic));
  EXPECT_EQ(topic, topic_for("01JDZ8Y5N3A7H2ZK0D4QX6R9TB"));
  EXPECT_NE(topic, topic_for("01JDZ8Y5N3A7H2ZK0D4QX6R9TC"));
  EXPECT_EQ(topic.find("01JDZ8"), std::string::npos) << "the incident id shows through";
}

TEST(PushTopic, ValidTopicsAreUpTo32OfTheBase64urlAlphabet) {
  EXPECT_TRUE(valid_topic("a"));
  EXPECT_TRUE(valid_topic(std::string(32, 'Z')));
  EXPECT_TRUE(valid_topic("inc-42_x"));
  EXPECT_FALSE(valid_topic(""));
  EXPECT_FALSE(valid_topic(std::string(33, 'a')));
  EXPECT_FALSE(valid_topic("inc 42"));
  EXPECT_FALSE(valid_topic("inc+42"));
  EXPECT_FALSE(valid_topic("inc=42"));
  EXPECT_FALSE(valid_topic("a\r\nX-Injected: 1"));
}

}  // namespace
}  // namespace puente::push
