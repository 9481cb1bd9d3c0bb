// ServerAddress::parse: the spellings of --server and PUENTE_SERVER.

#include "server_address.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace puente::client {
namespace {

TEST(ServerAddress, ReadsHttpUrlWithPort) {
  EXPECT_EQ(ServerAddress::parse("http://127.0.0.1:9000"), (ServerAddress{"127.0.0.1", 9000}));
  EXPECT_EQ(ServerAddress::parse("http://puente.example.org:80/"),
            (ServerAddress{"puente.example.org", 80}));
}

TEST(ServerAddress, ReadsHostPortWithoutScheme) {
  EXPECT_EQ(ServerAddress::parse("localhost:18080"), (ServerAddress{"localhost", 18080}));
}

TEST(ServerAddress, DefaultsThePortTo8080) {
  EXPECT_EQ(ServerAddress::parse("http://localhost"), (ServerAddress{"localhost", 8080}));
  EXPECT_EQ(ServerAddress::parse("10.0.0.7"), (ServerAddress{"10.0.0.7", 8080}));
}

TEST(ServerAddress, HttpsMeansTlsOnPort443UnlessNamed) {
  auto secure = ServerAddress::parse("https://puente.example.org");
  EXPECT_TRUE(secure.tls);
  EXPECT_EQ(secure.host, "puente.example.org");
  EXPECT_EQ(secure.port, 443);
  EXPECT_EQ(ServerAddress::parse("wss://127.0.0.1:8443").port, 8443);
  EXPECT_TRUE(ServerAddress::parse("wss://127.0.0.1:8443").tls);
  EXPECT_FALSE(ServerAddress::parse("http://puente.example.org").tls);
  EXPECT_FALSE(ServerAddress::parse("puente.example.org:443").tls);
}

TEST(ServerAddress, ReadsBracketedIpv6) {
  EXPECT_EQ(ServerAddress::parse("http://[::1]:9000"), (ServerAddress{"::1", 9000}));
  EXPECT_EQ(ServerAddress::parse("[fe80::1]"), (ServerAddress{"fe80::1", 8080}));
  EXPECT_EQ((ServerAddress{"::1", 9000}.to_string()), "[::1]:9000");
}

TEST(ServerAddress, ToStringIsHostColonPort) {
  EXPECT_EQ(ServerAddress::parse("http://127.0.0.1:9000").to_string(), "127.0.0.1:9000");
}

TEST(ServerAddress, RefusesNonsenseSayingWhy) {
  auto why = [](const char* text) -> std::string {
    try {
      ServerAddress::parse(text);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(why("").find("empty"), std::string::npos);
  EXPECT_NE(why("ftp://host:21").find("unknown scheme"), std::string::npos);
  EXPECT_NE(why("host:").find("empty port"), std::string::npos);
  EXPECT_NE(why("host:http").find("not a number"), std::string::npos);
  EXPECT_NE(why("host:0").find("out of range"), std::string::npos);
  EXPECT_NE(why("host:65536").find("out of range"), std::string::npos);
  EXPECT_NE(why("http://host:80/v1/incidents").find("no path"), std::string::npos);
  EXPECT_NE(why("::1:8080").find("brackets"), std::string::npos);
  EXPECT_NE(why("[::1").find("unclosed"), std::string::npos);
  EXPECT_NE(why("http://:8080").find("no host"), std::string::npos);
  EXPECT_NE(why("user@host:80").find("user"), std::string::npos);
  EXPECT_NE(why("ho st:80").find("unexpected character"), std::string::npos);
  // The message quotes what was given, so the user sees which setting is wrong.
  EXPECT_NE(why("host:http").find("\"host:http\""), std::string::npos);
}

}  // namespace
}  // namespace puente::client
