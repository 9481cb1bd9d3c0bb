#include "app/node/config.hpp"
#include "app/node/install_layout.hpp"

#include "config_file.hpp"

#include <gtest/gtest.h>

namespace puente::app {
namespace {

TEST(Config, TheExampleConfigLoadsWithItsDocumentedValues) {
  auto config = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_EQ(config.node_id, "node-1");
  EXPECT_EQ(config.listen_port, 8080);
  EXPECT_EQ(config.redis.endpoint.port, 6379);
  EXPECT_EQ(config.redis.command_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(config.limits.ws_hello, std::chrono::seconds(5));
  EXPECT_EQ(config.limits.http_body_bytes, 65536u);
  // Relative paths are relative to the config file's folder.
  EXPECT_TRUE(std::filesystem::exists(config.roster_file)) << config.roster_file;
  EXPECT_EQ(config.neighborhoods_file.filename(), "la-city-neighborhoods-v6.geojson");
  EXPECT_TRUE(config.web_root.empty());  // found by default_web_root()
  EXPECT_EQ(config.presence_expiry, std::chrono::seconds(30));
  EXPECT_EQ(config.retention, std::chrono::hours(72));
  EXPECT_EQ(config.purge_interval, std::chrono::seconds(60));
  EXPECT_EQ(config.aof_rewrite_interval, std::chrono::hours(1));
  // Revoked tokens are kept in the state folder unless a file is named.
  EXPECT_TRUE(config.revocations_file.empty());
  EXPECT_TRUE(config.state_dir.empty());  // chosen at start: settle_state_dir()
  EXPECT_EQ(revocations_file_of(config), config.state_dir / "revoked-tokens");
  EXPECT_EQ(config.token_reload, std::chrono::seconds(60));
}

TEST(Config, TokenReloadIsInSecondsAndOutOfRangeNamesTheOption) {
  test::ConfigFile file;
  EXPECT_EQ(file.load("[tokens]\nreload_seconds = 2\n").token_reload, std::chrono::seconds(2));
  for (const char* text : {"[tokens]\nreload_seconds = 0\n", "[tokens]\nreload_seconds = 3601\n"}) {
    auto why = file.refusal(text);
    EXPECT_NE(why.find("tokens.reload_seconds"), std::string::npos)
        << "accepted or unnamed: " << text << why;
  }
}

TEST(Config, RetentionIsInSecondsAndOutOfRangeNamesTheOption) {
  test::ConfigFile file;
  auto config = file.load(
      "[privacy]\nretention_seconds = 5\npurge_interval_seconds = 1\naof_rewrite_interval_seconds "
      "= 1\n");
  EXPECT_EQ(config.retention, std::chrono::seconds(5));
  EXPECT_EQ(config.purge_interval, std::chrono::seconds(1));
  EXPECT_EQ(config.aof_rewrite_interval, std::chrono::seconds(1));
  for (const char* text :
       {"[privacy]\nretention_seconds = 0\n", "[privacy]\nretention_seconds = -3600\n",
        "[privacy]\npurge_interval_seconds = 0\n", "[privacy]\npurge_interval_seconds = 86401\n",
        "[privacy]\naof_rewrite_interval_seconds = 0\n",
        "[privacy]\naof_rewrite_interval_seconds = 604801\n"}) {
    auto why = file.refusal(text);
    auto option = std::string(text).substr(10, std::string(text).find(' ') - 10);
    EXPECT_NE(why.find("privacy." + option), std::string::npos)
        << "accepted or unnamed: " << text << why;
  }
}

TEST(Config, ThePagesAreFoundWithoutAConfiguredFolder) {
  // A build tree: the source tree's server/web.
  auto root = default_web_root();
  EXPECT_TRUE(std::filesystem::exists(root / "board.html")) << root;
}

TEST(Config, PresenceExpiryOutOfRangeNamesTheOption) {
  auto why = test::ConfigFile().refusal("[presence]\nexpiry_seconds = 0\n");
  ASSERT_FALSE(why.empty()) << "no error";
  EXPECT_NE(why.find("presence.expiry_seconds"), std::string::npos) << why;
}

TEST(Config, FailedSignInsAreSummedAMinuteByDefaultAndAtMostAnHour) {
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_EQ(example.failed_sign_in_audit, std::chrono::seconds(60));
  test::ConfigFile file;
  EXPECT_EQ(file.load("[limits]\nfailed_sign_in_audit_seconds = 1\n").failed_sign_in_audit,
            std::chrono::seconds(1));
  for (const char* text : {"[limits]\nfailed_sign_in_audit_seconds = 0\n",
                           "[limits]\nfailed_sign_in_audit_seconds = 3601\n"})
    EXPECT_NE(file.refusal(text).find("limits.failed_sign_in_audit_seconds"), std::string::npos)
        << text;
}

TEST(Config, AWrongTypeNamesTheOption) {
  auto why = test::ConfigFile().refusal("[limits]\nhttp_body_bytes = \"lots\"\n");
  ASSERT_FALSE(why.empty()) << "no error";
  EXPECT_NE(why.find("limits.http_body_bytes"), std::string::npos) << why;
}

TEST(Config, TlsCertificateAndKeyGoTogetherAndAreRelativeToTheFile) {
  test::ConfigFile file;
  auto config = file.load(
      "[tls]\ncertificate_file = \"tls/node.crt\"\nprivate_key_file = \"tls/node.key\"\n");
  EXPECT_EQ(config.tls_certificate_file, file.folder() / "tls/node.crt");
  EXPECT_EQ(config.tls_private_key_file, file.folder() / "tls/node.key");

  auto why = file.refusal("[tls]\ncertificate_file = \"tls/node.crt\"\n");
  ASSERT_FALSE(why.empty()) << "no error";
  EXPECT_NE(why.find("tls.private_key_file"), std::string::npos) << why;
}

TEST(Config, RouteRateLimitsAreReadAndNonsenseNamesTheRoute) {
  test::ConfigFile file;
  auto limits =
      file.load("[rate_limits.routes]\n\"POST /v1/acks\" = { per_second = 2, burst = 10 }\n")
          .rate_limits.per_route;
  ASSERT_EQ(limits.count("POST /v1/acks"), 1u);
  EXPECT_EQ(limits.at("POST /v1/acks").per_second, 2);
  EXPECT_EQ(limits.at("POST /v1/acks").burst, 10);

  for (const char* bad :
       {"\"/v1/acks\" = { per_second = 2, burst = 10 }", "\"FETCH /v1/acks\" = { per_second = 2 }",
        "\"POST /v1/acks\" = 2", "\"POST /v1/acks\" = { per_second = -1, burst = 10 }"}) {
    auto why = file.refusal(std::string("[rate_limits.routes]\n") + bad + "\n");
    EXPECT_NE(why.find("rate_limits.routes"), std::string::npos)
        << "accepted or unnamed: " << bad << why;
  }
}

// [geography] geocoder_*: address search (issue 20) is off by default; a URL is read into its
// parts with its timeout, CA file and cap; nonsense names the option; the route's own rate limit
// is there by default and a network may replace it.
TEST(Config, TheGeocoderIsOffByDefaultAndItsOptionsAreRead) {
  test::ConfigFile file;
  auto plain = file.load("");
  EXPECT_FALSE(plain.geocoder);
  ASSERT_EQ(plain.rate_limits.per_route.count("POST /v1/geocode"), 1u);
  EXPECT_EQ(plain.rate_limits.per_route.at("POST /v1/geocode").per_second, 1);
  EXPECT_EQ(plain.rate_limits.per_route.at("POST /v1/geocode").burst, 10);

  auto config = file.load(
      "[geography]\ngeocoder_url = \"https://geo.example.org:8443/nominatim/\"\n"
      "geocoder_timeout_ms = 1500\ngeocoder_ca_file = \"geo-ca.pem\"\n"
      "geocoder_max_searches = 3\n[rate_limits.routes]\n"
      "\"POST /v1/geocode\" = { per_second = 0.5, burst = 2 }\n");
  ASSERT_TRUE(config.geocoder);
  EXPECT_TRUE(config.geocoder->url.tls);
  EXPECT_EQ(config.geocoder->url.host, "geo.example.org");
  EXPECT_EQ(config.geocoder->url.port, "8443");
  EXPECT_EQ(config.geocoder->url.path, "/nominatim");
  EXPECT_EQ(config.geocoder->timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(config.geocoder->ca_file, file.folder() / "geo-ca.pem");
  EXPECT_EQ(config.geocoder->max_in_flight, 3u);
  EXPECT_EQ(config.rate_limits.per_route.at("POST /v1/geocode").burst, 2);

  for (const char* bad :
       {"geocoder_url = \"geo.example.org\"", "geocoder_url = \"ftp://geo.example.org\"",
        "geocoder_url = \"https://geo.example.org/?key=secret\"",
        "geocoder_url = \"http://127.0.0.1:8088\"\ngeocoder_timeout_ms = 0"}) {
    auto why = file.refusal(std::string("[geography]\n") + bad + "\n");
    EXPECT_NE(why.find("geography.geocoder_"), std::string::npos) << bad << ": " << why;
  }
}

TEST(Config, HostPortParsing) {
  std::string host;
  unsigned short port = 0;
  parse_host_port("127.0.0.1:6380", host, port);
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 6380);
  parse_host_port("[::1]:80", host, port);
  EXPECT_EQ(host, "::1");
  for (auto bad : {"localhost", ":80", "host:", "host:99999", "host:8o"})
    EXPECT_THROW(parse_host_port(bad, host, port), std::runtime_error) << bad;
}

TEST(Config, SentinelsReplaceTheAddressAndNameTheirMaster) {
  test::ConfigFile file;
  auto config = file.load(
      "[redis]\nsentinels = [\"10.0.0.1:26379\", \"[::1]:26380\"]\nmaster_name = \"la-network\"\n");
  ASSERT_EQ(config.redis.sentinels.size(), 2u);
  EXPECT_EQ(config.redis.sentinels[0].host, "10.0.0.1");
  EXPECT_EQ(config.redis.sentinels[0].port, 26379);
  EXPECT_EQ(config.redis.sentinels[1].host, "::1");
  EXPECT_EQ(config.redis.master_name, "la-network");

  EXPECT_NE(file.refusal("[redis]\nsentinels = [\"10.0.0.1\"]\n"), "")
      << "a sentinel without a port";
  EXPECT_NE(file.refusal("[redis]\nsentinels = [\"10.0.0.1:1\"]\nmaster_name = \"\"\n"), "")
      << "sentinels without a master name";

  // The example config runs without Sentinel.
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_TRUE(example.redis.sentinels.empty());
  EXPECT_EQ(example.redis.master_name, "puente");
}

TEST(Config, AClusterBindsTheNodeToTheSlotOfItsKeyPrefixsHashTag) {
  test::ConfigFile file;
  auto config = file.load(
      "[redis]\ncluster = [\"10.0.0.11:6379\", \"10.0.0.12:6379\"]\nkey_prefix = "
      "\"puente:{la}:\"\n");
  ASSERT_EQ(config.redis.cluster.size(), 2u);
  EXPECT_EQ(config.redis.cluster[1].host, "10.0.0.12");
  EXPECT_EQ(config.redis.cluster[1].port, 6379);
  // CLUSTER KEYSLOT la, as redis-cli answers it.
  EXPECT_EQ(config.redis.cluster_slot, 12992);

  const auto untagged = file.refusal("[redis]\ncluster = [\"10.0.0.11:6379\"]\n");
  EXPECT_NE(untagged.find("hash tag"), std::string::npos) << untagged;
  EXPECT_NE(file.refusal("[redis]\ncluster = [\"10.0.0.11:6379\"]\nkey_prefix = \"p:{}:\"\n"), "")
      << "an empty tag hashes the whole key";
  const auto both = file.refusal(
      "[redis]\ncluster = [\"10.0.0.11:6379\"]\nsentinels = [\"10.0.0.1:26379\"]\n"
      "key_prefix = \"puente:{la}:\"\n");
  EXPECT_NE(both.find("cannot both"), std::string::npos) << both;

  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_TRUE(example.redis.cluster.empty());
}

TEST(Config, ReplicaWaitIsOffByDefaultAndBoundedByTheCommandTimeout) {
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_EQ(example.replication.replicas, 0);
  EXPECT_EQ(example.replication.timeout.count(), 200);

  test::ConfigFile file;
  auto config = file.load("[redis]\nreplicas_to_wait = 1\nreplica_wait_ms = 50\n");
  EXPECT_EQ(config.replication.replicas, 1);
  EXPECT_EQ(config.replication.timeout.count(), 50);
  // A WAIT longer than the command deadline would reset the link under every write.
  EXPECT_NE(file.refusal("[redis]\nreplicas_to_wait = 1\nreplica_wait_ms = 2000\n"), "");
  EXPECT_NE(file.refusal("[redis]\nreplicas_to_wait = -1\n"), "");
}

TEST(Config, TheJournalIsCappedByDefaultAndTheCapsAreRead) {
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  const JournalLimits defaults;
  EXPECT_EQ(example.journal_limits.max_entries, defaults.max_entries);
  EXPECT_EQ(example.journal_limits.max_bytes, defaults.max_bytes);
  EXPECT_EQ(example.journal_limits.per_responder.per_second, defaults.per_responder.per_second);
  EXPECT_EQ(example.journal_limits.per_responder.burst, defaults.per_responder.burst);

  test::ConfigFile file;
  auto config = file.load(
      "[limits]\njournal_max_entries = 3\njournal_max_bytes = 4096\n"
      "[rate_limits]\njournal_per_responder_per_second = 0\njournal_per_responder_burst = 2\n");
  EXPECT_EQ(config.journal_limits.max_entries, 3u);
  EXPECT_EQ(config.journal_limits.max_bytes, 4096u);
  EXPECT_FALSE(config.journal_limits.per_responder.limits());
  EXPECT_NE(file.refusal("[limits]\njournal_max_entries = 0\n"), "");
  EXPECT_NE(file.refusal("[rate_limits]\njournal_per_responder_burst = 0\n"), "");
}

TEST(Config, SocketFloodLimitsHaveTheirDocumentedDefaultsAndAreRead) {
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  const net::SessionLimits defaults;
  EXPECT_EQ(example.limits.ws_node_queue_bytes, defaults.ws_node_queue_bytes);
  EXPECT_EQ(example.limits.ws_node_queue_bytes, 256u << 20);
  EXPECT_EQ(example.limits.ws_messages.per_second, 20);
  EXPECT_EQ(example.limits.ws_messages.burst, 200);
  EXPECT_EQ(example.limits.ws_close_grace, std::chrono::seconds(30));

  test::ConfigFile file;
  auto config = file.load(
      "[limits]\nws_queue_bytes = 4096\nws_node_queue_bytes = 65536\nws_close_grace_seconds = 2\n"
      "[rate_limits]\nmessages_per_socket_per_second = 0.5\nmessages_per_socket_burst = 3\n");
  EXPECT_EQ(config.limits.ws_node_queue_bytes, 65536u);
  EXPECT_EQ(config.limits.ws_close_grace, std::chrono::seconds(2));
  EXPECT_EQ(config.limits.ws_messages.per_second, 0.5);
  EXPECT_EQ(config.limits.ws_messages.burst, 3);
  EXPECT_FALSE(
      file.load("[rate_limits]\nmessages_per_socket_per_second = 0\n").limits.ws_messages.limits());
  EXPECT_NE(file.refusal("[limits]\nws_queue_bytes = 4096\nws_node_queue_bytes = 4095\n")
                .find("ws_node_queue_bytes"),
            std::string::npos);
  EXPECT_NE(file.refusal("[limits]\nws_close_grace_seconds = 0\n").find("ws_close_grace_seconds"),
            std::string::npos);
  EXPECT_NE(
      file.refusal("[rate_limits]\nmessages_per_socket_burst = 0\n").find("messages_per_socket"),
      std::string::npos);
}

TEST(Config, NumbersOutsideTheirRangeNameTheOption) {
  test::ConfigFile file;
  for (const char* text : {"[node]\nthreads = -1\n", "[redis]\ncommand_timeout_ms = 0\n",
                           "[limits]\nws_queue_bytes = -5\n", "[limits]\nhttp_idle_seconds = 0\n",
                           "[limits]\nreplay_max_alerts = 0\n"}) {
    auto why = file.refusal(text);
    EXPECT_NE(why.find("must be between"), std::string::npos)
        << "accepted or unnamed: " << text << why;
  }
}

TEST(Config, EndpointListParsing) {
  const auto sentinels = parse_endpoint_list("127.0.0.1:26379,127.0.0.1:26380,[::1]:26381");
  ASSERT_EQ(sentinels.size(), 3u);
  EXPECT_EQ(sentinels[1].port, 26380);
  EXPECT_EQ(sentinels[2].host, "::1");
  for (auto bad : {"", "127.0.0.1:26379,", "a:1,,b:2", "127.0.0.1"})
    EXPECT_THROW(parse_endpoint_list(bad), std::runtime_error) << bad;
}

}  // namespace
}  // namespace puente::app
