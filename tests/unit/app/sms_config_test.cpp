// [sms]: off until a credentials file is named (then a sender and the caller key are required);
// each number in its unit and range, a refusal naming the option; the example config's values
// are the defaults.
#include "app/node/config.hpp"

#include "config_file.hpp"

#include <gtest/gtest.h>

namespace puente::app {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCallerKey = "[privacy]\ncaller_key_file = \"caller.key\"\n";

TEST(SmsConfig, OffWithoutACredentialsFileWithTheDocumentedDefaults) {
  test::ConfigFile file;
  const auto sms = file.load("").sms;
  EXPECT_FALSE(sms.enabled());
  EXPECT_EQ(sms.sendsms_host, "127.0.0.1");
  EXPECT_EQ(sms.sendsms_port, 13013);
  EXPECT_EQ(sms.callback_url, "http://127.0.0.1:8080");
  EXPECT_EQ(sms.max_per_hour, 500);
  EXPECT_EQ(sms.sends_per_second, 5);
  EXPECT_EQ(sms.bundle_window, 5s);
  EXPECT_EQ(sms.give_up_after, 1h);
  EXPECT_EQ(sms.reply_window, 24h);
  EXPECT_EQ(sms.connect_timeout, 5s);
  EXPECT_EQ(sms.response_timeout, 10s);

  const auto example =
      load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml").sms;
  EXPECT_FALSE(example.enabled());
  EXPECT_EQ(example.sendsms_port, sms.sendsms_port);
  EXPECT_EQ(example.callback_url, sms.callback_url);
  EXPECT_EQ(example.max_per_hour, sms.max_per_hour);
  EXPECT_EQ(example.sends_per_second, sms.sends_per_second);
  EXPECT_EQ(example.bundle_window, sms.bundle_window);
  EXPECT_EQ(example.give_up_after, sms.give_up_after);
  EXPECT_EQ(example.reply_window, sms.reply_window);
}

TEST(SmsConfig, ACredentialsFileIsRelativeToTheConfigAndNeedsASenderAndTheCallerKey) {
  test::ConfigFile file;
  const auto sms =
      file.load(std::string(kCallerKey) +
                "[sms]\ncredentials_file = \"puente-kannel.conf\"\nfrom = \"+13235550100\"\n"
                "sendsms = \"10.0.0.5:14013\"\ncallback_url = \"https://puente.example.org/\"\n"
                "max_per_hour = 40\nbundle_seconds = 0\nreply_window_hours = 2\n")
          .sms;
  EXPECT_TRUE(sms.enabled());
  EXPECT_EQ(sms.credentials_file, file.folder() / "puente-kannel.conf");
  EXPECT_EQ(sms.from, "+13235550100");
  EXPECT_EQ(sms.sendsms_host, "10.0.0.5");
  EXPECT_EQ(sms.sendsms_port, 14013);
  EXPECT_EQ(sms.callback_url, "https://puente.example.org") << "the trailing slash goes";
  EXPECT_EQ(sms.max_per_hour, 40);
  EXPECT_EQ(sms.bundle_window, 0s);
  EXPECT_EQ(sms.reply_window, 2h);

  EXPECT_NE(file.refusal(std::string(kCallerKey) + "[sms]\ncredentials_file = \"k.conf\"\n")
                .find("sms.from"),
            std::string::npos);
  EXPECT_NE(file.refusal("[sms]\ncredentials_file = \"k.conf\"\nfrom = \"Puente\"\n")
                .find("privacy.caller_key_file"),
            std::string::npos);
}

TEST(SmsConfig, OutOfRangeNamesTheOption) {
  test::ConfigFile file;
  for (const char* text : {"[sms]\nmax_per_hour = 0\n", "[sms]\nbundle_seconds = 61\n",
                           "[sms]\ngive_up_after_seconds = 59\n", "[sms]\nreply_window_hours = 0\n",
                           "[sms]\nreply_window_hours = 169\n", "[sms]\nsends_per_second = 0\n",
                           "[sms]\nsendsms = \"smsbox\"\n", "[sms]\ncallback_url = \"ftp://x\"\n",
                           "[sms]\nconnect_timeout_ms = 0\n"}) {
    auto why = file.refusal(text);
    const auto option = std::string(text).substr(6, std::string(text).find(' ', 6) - 6);
    EXPECT_NE(why.find("sms." + option), std::string::npos)
        << "accepted or unnamed: " << text << why;
  }
}

}  // namespace
}  // namespace puente::app
