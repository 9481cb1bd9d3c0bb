// [push]: off until a VAPID key file is named (then a contact is required); each number in its
// unit and range, a refusal naming the option; the example config's values are the defaults.
#include "app/node/config.hpp"

#include "config_file.hpp"

#include <gtest/gtest.h>

namespace puente::app {
namespace {

using namespace std::chrono_literals;

TEST(PushConfig, OffWithoutAKeyFileWithTheDocumentedDefaults) {
  test::ConfigFile file;
  const auto push = file.load("").push;
  EXPECT_FALSE(push.enabled());
  EXPECT_EQ(push.sender.allowed_hosts, push::default_allowed_push_hosts());
  EXPECT_FALSE(push.sender.allow_private_addresses);
  EXPECT_EQ(push.ttl, 3600s);
  EXPECT_EQ(push.max_phones_per_responder, 5u);
  EXPECT_EQ(push.ack_capability_lifetime, 2h);
  EXPECT_EQ(push.device_token_lifetime, std::chrono::hours(90 * 24));
  EXPECT_EQ(push.stale_after, 48h);
  EXPECT_EQ(push.drop_after, std::chrono::hours(21 * 24));

  // The example config says the same.
  const auto example =
      load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml").push;
  EXPECT_FALSE(example.enabled());
  EXPECT_EQ(example.max_phones_per_responder, push.max_phones_per_responder);
  EXPECT_EQ(example.device_token_lifetime, push.device_token_lifetime);
  EXPECT_EQ(example.stale_after, push.stale_after);
  EXPECT_EQ(example.drop_after, push.drop_after);
  EXPECT_EQ(example.ack_capability_lifetime, push.ack_capability_lifetime);
}

TEST(PushConfig, AKeyFileIsRelativeToTheConfigAndNeedsAContact) {
  test::ConfigFile file;
  const auto push = file.load(
                            "[push]\nvapid_key_file = \"vapid.pem\"\nsubject = "
                            "\"mailto:ops@example.org\"\nallowed_hosts = [\"ntfy.example.org\"]\n"
                            "max_phones_per_responder = 2\ndevice_token_days = 7\n"
                            "stale_after_hours = 3\ndrop_after_days = 1\n")
                        .push;
  EXPECT_TRUE(push.enabled());
  EXPECT_EQ(push.vapid_key_file, file.folder() / "vapid.pem");
  EXPECT_EQ(push.subject, "mailto:ops@example.org");
  EXPECT_EQ(push.sender.allowed_hosts, std::vector<std::string>{"ntfy.example.org"});
  EXPECT_EQ(push.max_phones_per_responder, 2u);
  EXPECT_EQ(push.device_token_lifetime, std::chrono::hours(7 * 24));
  EXPECT_EQ(push.stale_after, 3h);
  EXPECT_EQ(push.drop_after, 24h);

  for (const char* subject : {"", "ops@example.org", "http://example.org"}) {
    auto why = file.refusal(std::string("[push]\nvapid_key_file = \"vapid.pem\"\nsubject = \"") +
                            subject + "\"\n");
    EXPECT_NE(why.find("push.subject"), std::string::npos) << subject << ": " << why;
  }
}

TEST(PushConfig, OutOfRangeNamesTheOption) {
  test::ConfigFile file;
  for (const char* text :
       {"[push]\nmax_phones_per_responder = 0\n", "[push]\nmax_phones_per_responder = 51\n",
        "[push]\ndevice_token_days = 0\n", "[push]\ndevice_token_days = 367\n",
        "[push]\nstale_after_hours = 0\n", "[push]\nack_capability_seconds = 59\n",
        "[push]\nttl_seconds = -1\n", "[push]\nmax_attempts = 0\n"}) {
    auto why = file.refusal(text);
    const auto option = std::string(text).substr(7, std::string(text).find(' ', 7) - 7);
    EXPECT_NE(why.find("push." + option), std::string::npos)
        << "accepted or unnamed: " << text << why;
  }
  for (const char* text : {"[push]\nsends_per_second = 0\n",
                           "[push]\nstale_after_hours = 48\ndrop_after_days = 2\n"}) {
    EXPECT_NE(file.refusal(text), "") << text;
  }
}

}  // namespace
}  // namespace puente::app
