#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

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
}

TEST(Config, RetentionIsInSecondsAndOutOfRangeNamesTheOption) {
  auto path = std::filesystem::temp_directory_path() / "puente-config-retention.toml";
  std::ofstream(path) << "[privacy]\nretention_seconds = 5\npurge_interval_seconds = 1\n";
  auto config = load_config(path);
  EXPECT_EQ(config.retention, std::chrono::seconds(5));
  EXPECT_EQ(config.purge_interval, std::chrono::seconds(1));
  for (const char* text : {"[privacy]\nretention_seconds = 0\n", "[privacy]\nretention_seconds = -3600\n",
                           "[privacy]\npurge_interval_seconds = 0\n", "[privacy]\npurge_interval_seconds = 86401\n"}) {
    std::ofstream(path, std::ios::trunc) << text;
    try {
      load_config(path);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::runtime_error& e) {
      auto option = std::string(text).substr(10, std::string(text).find(' ') - 10);
      EXPECT_NE(std::string(e.what()).find("privacy." + option), std::string::npos) << e.what();
    }
  }
  std::filesystem::remove(path);
}

TEST(Config, ThePagesAreFoundWithoutAConfiguredFolder) {
  // A build tree: the source tree's server/web.
  auto root = default_web_root();
  EXPECT_TRUE(std::filesystem::exists(root / "board.html")) << root;
}

TEST(Config, PresenceExpiryOutOfRangeNamesTheOption) {
  auto path = std::filesystem::temp_directory_path() / "puente-config-presence-test.toml";
  std::ofstream(path) << "[presence]\nexpiry_seconds = 0\n";
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("presence.expiry_seconds"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(Config, AWrongTypeNamesTheOption) {
  auto path = std::filesystem::temp_directory_path() / "puente-config-test.toml";
  std::ofstream(path) << "[limits]\nhttp_body_bytes = \"lots\"\n";
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("limits.http_body_bytes"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(Config, TlsCertificateAndKeyGoTogetherAndAreRelativeToTheFile) {
  auto dir = std::filesystem::temp_directory_path();
  auto path = dir / "puente-config-tls-test.toml";
  std::ofstream(path) << "[tls]\ncertificate_file = \"tls/node.crt\"\nprivate_key_file = \"tls/node.key\"\n";
  auto config = load_config(path);
  EXPECT_EQ(config.tls_certificate_file, dir / "tls/node.crt");
  EXPECT_EQ(config.tls_private_key_file, dir / "tls/node.key");

  std::ofstream(path) << "[tls]\ncertificate_file = \"tls/node.crt\"\n";
  try {
    load_config(path);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tls.private_key_file"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(Config, RouteRateLimitsAreReadAndNonsenseNamesTheRoute) {
  auto path = std::filesystem::temp_directory_path() / "puente-config-routes-test.toml";
  std::ofstream(path) << "[rate_limits.routes]\n\"POST /v1/acks\" = { per_second = 2, burst = 10 }\n";
  auto limits = load_config(path).rate_limits.per_route;
  ASSERT_EQ(limits.count("POST /v1/acks"), 1u);
  EXPECT_EQ(limits.at("POST /v1/acks").per_second, 2);
  EXPECT_EQ(limits.at("POST /v1/acks").burst, 10);

  for (const char* bad : {"\"/v1/acks\" = { per_second = 2, burst = 10 }", "\"FETCH /v1/acks\" = { per_second = 2 }",
                          "\"POST /v1/acks\" = 2", "\"POST /v1/acks\" = { per_second = -1, burst = 10 }"}) {
    std::ofstream(path) << "[rate_limits.routes]\n" << bad << "\n";
    try {
      load_config(path);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("rate_limits.routes"), std::string::npos) << e.what();
    }
  }
  std::filesystem::remove(path);
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
  auto path = std::filesystem::temp_directory_path() / "puente-config-sentinels.toml";
  std::ofstream(path) << "[redis]\nsentinels = [\"10.0.0.1:26379\", \"[::1]:26380\"]\n"
                         "master_name = \"la-network\"\n";
  auto config = load_config(path);
  ASSERT_EQ(config.redis.sentinels.size(), 2u);
  EXPECT_EQ(config.redis.sentinels[0].host, "10.0.0.1");
  EXPECT_EQ(config.redis.sentinels[0].port, 26379);
  EXPECT_EQ(config.redis.sentinels[1].host, "::1");
  EXPECT_EQ(config.redis.master_name, "la-network");

  std::ofstream(path, std::ios::trunc) << "[redis]\nsentinels = [\"10.0.0.1\"]\n";
  EXPECT_THROW(load_config(path), std::runtime_error) << "a sentinel without a port";
  std::ofstream(path, std::ios::trunc) << "[redis]\nsentinels = [\"10.0.0.1:1\"]\nmaster_name = \"\"\n";
  EXPECT_THROW(load_config(path), std::runtime_error) << "sentinels without a master name";
  std::filesystem::remove(path);

  // The example config runs without Sentinel.
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_TRUE(example.redis.sentinels.empty());
  EXPECT_EQ(example.redis.master_name, "puente");
}

TEST(Config, ReplicaWaitIsOffByDefaultAndBoundedByTheCommandTimeout) {
  auto example = load_config(std::filesystem::path(PUENTE_SOURCE_DIR) / "config/puented.toml");
  EXPECT_EQ(example.replication.replicas, 0);
  EXPECT_EQ(example.replication.timeout.count(), 200);

  auto path = std::filesystem::temp_directory_path() / "puente-config-replicas.toml";
  std::ofstream(path) << "[redis]\nreplicas_to_wait = 1\nreplica_wait_ms = 50\n";
  auto config = load_config(path);
  EXPECT_EQ(config.replication.replicas, 1);
  EXPECT_EQ(config.replication.timeout.count(), 50);
  // A WAIT longer than the command deadline would reset the link under every write.
  std::ofstream(path, std::ios::trunc) << "[redis]\nreplicas_to_wait = 1\nreplica_wait_ms = 2000\n";
  EXPECT_THROW(load_config(path), std::runtime_error);
  std::ofstream(path, std::ios::trunc) << "[redis]\nreplicas_to_wait = -1\n";
  EXPECT_THROW(load_config(path), std::runtime_error);
  std::filesystem::remove(path);
}

TEST(Config, NumbersOutsideTheirRangeNameTheOption) {
  auto path = std::filesystem::temp_directory_path() / "puente-config-ranges.toml";
  for (const char* text : {"[node]\nthreads = -1\n", "[redis]\ncommand_timeout_ms = 0\n",
                           "[limits]\nws_queue_bytes = -5\n", "[limits]\nhttp_idle_seconds = 0\n",
                           "[limits]\nreplay_max_alerts = 0\n"}) {
    std::ofstream(path, std::ios::trunc) << text;
    try {
      load_config(path);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("must be between"), std::string::npos) << e.what();
    }
  }
  std::filesystem::remove(path);
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
