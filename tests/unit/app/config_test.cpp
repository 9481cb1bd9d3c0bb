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

}  // namespace
}  // namespace puente::app
