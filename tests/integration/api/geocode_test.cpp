// Address search through a real node (POST /v1/geocode, issue 20) and the tests' own geocoder
// (tests/browser/geocoder_server.mjs, the Nominatim search API): the places inside the
// network's area with their neighborhoods, the search bounded by the area's box, who may
// search, and each way a search can fail with its clear JSON error: nothing typed, too long,
// the geocoder answering nonsense or an error (502), down or hanging past the timeout (503),
// none configured (404). The address searched for is never in the node's log.
#include "file_text.hpp"
#include "free_port.hpp"
#include "loopback_geocoder.hpp"
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// The error code of a JSON error body.
std::string geocode_error_code(const client::HttpResponse& answer) {
  v1::ServerMessage error;
  if (!wire::from_json(answer.body, error).empty())
    return "(not a JSON error: " + answer.body + ")";
  return error.error().code();
}

class Geocode : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = LoopbackGeocoder::missing_tools(); !missing.empty())
      GTEST_SKIP() << "the geocoder tests need:" << missing;
  }
};

TEST_F(Geocode, AnOperatorFindsACrossingInsideTheNetworksArea) {
  LoopbackGeocoder geocoder;
  TestNetwork net("", "", "", "", "geocoder_url = \"" + geocoder.origin() + "\"\n");
  auto node = net.start_node("a");

  auto found = node->call(http::verb::post, "/v1/geocode", net.token("op"),
                          R"({"text":"César Chávez & Soto"})");
  ASSERT_EQ(found.status, 200u) << found.body;
  v1::GeocodeResult result;
  ASSERT_EQ(wire::from_json(found.body, result), "") << found.body;
  // The gazetteer's San Francisco crossing of the same names lies outside the area: the
  // search was bounded by it.
  ASSERT_EQ(result.places_size(), 1) << found.body;
  EXPECT_DOUBLE_EQ(result.places(0).lat(), 34.0476);
  EXPECT_DOUBLE_EQ(result.places(0).lon(), -118.2087);
  EXPECT_EQ(result.places(0).neighborhood(), "boyle-heights");
  EXPECT_NE(result.places(0).name().find("North Soto Street, Boyle Heights"), std::string::npos);

  // What the node asked: jsonv2, the default limit, LA City's box (west,north,east,south),
  // bounded, and the text encoded.
  const auto asked = geocoder.last_query();
  EXPECT_TRUE(asked.starts_with(
      "?q=C%C3%A9sar%20Ch%C3%A1vez%20%26%20Soto&format=jsonv2&limit=5&viewbox=-118."))
      << asked;
  EXPECT_TRUE(asked.ends_with("&bounded=1")) << asked;

  // A dispatcher may search too (the board), with a limit; places downtown name downtown.
  auto soto = node->call(http::verb::post, "/v1/geocode", net.token("disp"),
                         R"({"text":"Soto Street","limit":1})");
  ASSERT_EQ(soto.status, 200u) << soto.body;
  ASSERT_EQ(wire::from_json(soto.body, result), "");
  EXPECT_EQ(result.places_size(), 1);
  auto hall =
      node->call(http::verb::post, "/v1/geocode", net.token("op"), R"({"text":"city hall"})");
  ASSERT_EQ(wire::from_json(hall.body, result), "");
  ASSERT_EQ(result.places_size(), 1) << hall.body;
  EXPECT_EQ(result.places(0).neighborhood(), "downtown");
  // Nothing found is an empty list, not an error.
  auto nothing = node->call(http::verb::post, "/v1/geocode", net.token("op"),
                            R"({"text":"Calle Inexistente 99"})");
  EXPECT_EQ(nothing.status, 200u);
  EXPECT_EQ(nothing.body, "{}");

  // Observers and volunteers do not search (each search costs the network's geocoder).
  auto observer =
      node->call(http::verb::post, "/v1/geocode", net.token("obs-bh"), R"({"text":"Soto Street"})");
  EXPECT_EQ(observer.status, 403u);
  EXPECT_EQ(geocode_error_code(observer), "forbidden");
  EXPECT_EQ(node->call(http::verb::post, "/v1/geocode", "", R"({"text":"Soto"})").status, 401u);

  // The addresses searched for are in no line of the node's log.
  const auto log = file_text(node->log_path());
  for (const char* address : {"Soto", "Chávez", "Ch%C3%A1vez", "Inexistente", "city hall"})
    EXPECT_EQ(log.find(address), std::string::npos) << address << " is in the log";
}

TEST_F(Geocode, BadSearchesAndAFailingGeocoderGetClearErrors) {
  LoopbackGeocoder geocoder;
  // More searches than the default limit of the route lets one token make at once.
  TestNetwork net(
      "[rate_limits.routes]\n\"POST /v1/geocode\" = { per_second = 100, burst = 100 }\n", "", "",
      "", "geocoder_url = \"" + geocoder.origin() + "\"\ngeocoder_timeout_ms = 1500\n");
  auto node = net.start_node("a");
  const auto op = net.token("op");

  struct Case {
    std::string body;
    unsigned status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {R"({"text":""})", 400, "bad_search"},
      {R"({"text":"   "})", 400, "bad_search"},
      {R"({})", 400, "bad_search"},
      {R"({"text":")" + std::string(201, 'x') + R"("})", 400, "bad_search"},
      {R"({"text":"Soto","limit":11})", 400, "bad_search"},
      {R"({"text":"Soto","place":"x"})", 400, "bad_json"},
      {"not json", 400, "bad_json"},
      {R"({"text":"bad answer"})", 502, "geocoder_bad_answer"},
      {R"({"text":"server error"})", 502, "geocoder_bad_answer"},
      {R"({"text":"hang"})", 503, "geocoder_unavailable"},
  };
  for (const auto& c : cases) {
    auto answer = node->call(http::verb::post, "/v1/geocode", op, c.body);
    EXPECT_EQ(answer.status, c.status) << c.body.substr(0, 40) << ": " << answer.body;
    EXPECT_EQ(geocode_error_code(answer), c.code) << c.body.substr(0, 40);
  }
  // The geocoder's words say what went wrong, never the address.
  auto broken = node->call(http::verb::post, "/v1/geocode", op, R"({"text":"server error"})");
  EXPECT_NE(broken.body.find("HTTP 500"), std::string::npos) << broken.body;
  // The node still searches after all that.
  EXPECT_EQ(node->call(http::verb::post, "/v1/geocode", op, R"({"text":"Mariachi Plaza"})").status,
            200u);
}

// Each search costs the network's geocoder: by default a token gets 10 at once, then 1 a second.
TEST_F(Geocode, SearchesAreRateLimitedPerToken) {
  LoopbackGeocoder geocoder;
  TestNetwork net("", "", "", "", "geocoder_url = \"" + geocoder.origin() + "\"\n");
  auto node = net.start_node("a");
  int passed = 0;
  std::optional<client::HttpResponse> limited;
  for (int i = 0; i < 20 && !limited; ++i) {
    auto answer = node->call(http::verb::post, "/v1/geocode", net.token("op"),
                             R"({"text":"Calle Inexistente"})");
    if (answer.status == 429u)
      limited = answer;
    else
      EXPECT_EQ(answer.status, 200u) << answer.body;
    passed += answer.status == 200u;
  }
  ASSERT_TRUE(limited) << "20 searches in a row, none limited";
  EXPECT_GE(passed, 10);
  EXPECT_EQ(geocode_error_code(*limited), "rate_limited");
  EXPECT_TRUE(limited->header("Retry-After").has_value());
  // Another token has a bucket of its own.
  EXPECT_EQ(node->call(http::verb::post, "/v1/geocode", net.token("disp"),
                       R"({"text":"Calle Inexistente"})")
                .status,
            200u);
}

// An https geocoder: its certificate verified for the URL's host, against geocoder_ca_file;
// one the node does not trust is refused (503), and nothing is searched through it.
TEST_F(Geocode, AnHttpsGeocoderIsVerifiedAgainstItsCaFile) {
  LoopbackGeocoder geocoder(/*tls_certificate=*/true);
  TestNetwork trusted("", "", "", "",
                      "geocoder_url = \"" + geocoder.origin() + "\"\ngeocoder_ca_file = \"" +
                          geocoder.certificate().string() + "\"\n");
  auto node = trusted.start_node("trusted");
  auto found = node->call(http::verb::post, "/v1/geocode", trusted.token("op"),
                          R"({"text":"Mariachi Plaza"})");
  ASSERT_EQ(found.status, 200u) << found.body;
  v1::GeocodeResult result;
  ASSERT_EQ(wire::from_json(found.body, result), "");
  ASSERT_EQ(result.places_size(), 1);
  EXPECT_EQ(result.places(0).neighborhood(), "boyle-heights");

  // The system's roots do not sign the tests' certificate.
  TestNetwork untrusted("", "", "", "", "geocoder_url = \"" + geocoder.origin() + "\"\n");
  auto other = untrusted.start_node("untrusted");
  auto refused = other->call(http::verb::post, "/v1/geocode", untrusted.token("op"),
                             R"({"text":"Mariachi Plaza"})");
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_EQ(geocode_error_code(refused), "geocoder_unavailable");
  EXPECT_NE(refused.body.find("TLS handshake"), std::string::npos) << refused.body;
}

TEST_F(Geocode, AGeocoderThatIsDownIs503AndNoneConfiguredIs404) {
  const RefusedPort geocoder;  // bound, never listening: every connection refused
  TestNetwork down("", "", "", "",
                   "geocoder_url = \"http://127.0.0.1:" + std::to_string(geocoder.port()) + "\"\n");
  auto node = down.start_node("down");
  auto refused =
      node->call(http::verb::post, "/v1/geocode", down.token("op"), R"({"text":"Soto"})");
  EXPECT_EQ(refused.status, 503u) << refused.body;
  EXPECT_EQ(geocode_error_code(refused), "geocoder_unavailable");
  EXPECT_NE(refused.body.find("connecting"), std::string::npos) << refused.body;

  TestNetwork none;
  auto plain = none.start_node("none");
  auto off = plain->call(http::verb::post, "/v1/geocode", none.token("op"), R"({"text":"Soto"})");
  EXPECT_EQ(off.status, 404u) << off.body;
  EXPECT_EQ(geocode_error_code(off), "geocoder_not_configured");
  EXPECT_NE(off.body.find("geocoder_url"), std::string::npos) << off.body;
}

}  // namespace
}  // namespace puente::test
