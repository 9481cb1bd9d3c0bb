// Bad input gets a clear 4xx with a JSON error body naming the problem, stores nothing, and
// the node keeps serving. Checked against a real node and a real Redis (its key count).
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

class BadInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    net_ = new TestNetwork;
    node_ = net_->start_node("a").release();
  }
  static void TearDownTestSuite() {
    delete node_;
    delete net_;
  }

  // Sends the request and checks the answer: `status`, a JSON error with `code`, nothing stored.
  void expect_refused(http::verb verb, const std::string& target, const std::string& token,
                      const std::string& body, unsigned status, const std::string& code,
                      const std::string& content_type = "application/json") {
    auto keys_before = net_->redis_key_count();
    auto response = node_->call(verb, target, token, body);
    if (content_type != "application/json") {
      client::HttpClient http("127.0.0.1", node_->port());
      response = http.request(verb, target, body, token, content_type);
    }
    EXPECT_EQ(response.status, status) << target << " " << body << " -> " << response.body;
    EXPECT_EQ(response.content_type, "application/json");
    v1::ServerMessage parsed;  // {"error": {...}} is a ServerMessage with only its error set
    ASSERT_EQ(wire::from_json(response.body, parsed), "") << response.body;
    EXPECT_EQ(parsed.error().code(), code) << response.body;
    EXPECT_FALSE(parsed.error().message().empty());
    EXPECT_EQ(net_->redis_key_count(), keys_before) << "refused input changed Redis: " << body;
    EXPECT_EQ(node_->call(http::verb::get, "/healthz", "").status, 200u);
  }

  static std::string token(const std::string& id) { return net_->token(id); }

  static TestNetwork* net_;
  static PuentedNode* node_;
};
TestNetwork* BadInput::net_ = nullptr;
PuentedNode* BadInput::node_ = nullptr;

const std::string reports = "/v1/reports";

TEST_F(BadInput, MalformedJsonIsRefused) {
  expect_refused(http::verb::post, reports, token("op"), "{\"kind\": ", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"), "not json at all", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"), "", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"), "[1,2,3]", 400, "bad_json");
}

TEST_F(BadInput, WrongTypesAndUnknownFieldsAreRefused) {
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":"north","lon":1}})", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"STAMPEDE","location":{"lat":34,"lon":-118}})", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":34,"lon":-118},"urgency":9})", 400,
                 "bad_json");
  expect_refused(http::verb::post, reports, token("op"), R"({"kind":7.5})", 400, "bad_json");
}

TEST_F(BadInput, MissingOrImpossibleFieldsAreRefused) {
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"location":{"lat":34.03,"lon":-118.21}})", 400, "missing_kind");
  expect_refused(http::verb::post, reports, token("op"), R"({"kind":"RAID"})", 400,
                 "missing_location");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":134,"lon":-118}})", 400, "bad_location");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":34,"lon":-218}})", 400, "bad_location");
  expect_refused(
      http::verb::post, reports, token("op"),
      report_json(34.03, -118.21, "RAID", "\"description\":\"" + std::string(3000, 'x') + "\""),
      400, "too_long");
  expect_refused(http::verb::post, reports, token("op"),
                 report_json(34.03, -118.21, "RAID", R"("idempotencyKey":"has spaces in it")"), 400,
                 "bad_idempotency_key");
}

TEST_F(BadInput, UnknownNeighborhoodAndPointsOutsideEveryNeighborhoodAreRefused) {
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","neighborhood":"atlantis"})", 400, "unknown_neighborhood");
  expect_refused(http::verb::post, reports, token("op"), report_json(33.70, -118.60), 422,
                 "outside_coverage");  // the Pacific
  expect_refused(http::verb::post, reports, token("op"), report_json(34.1478, -118.1445), 422,
                 "outside_coverage");  // Pasadena
  expect_refused(http::verb::get, "/v1/incidents?neighborhood=atlantis", token("disp"), "", 400,
                 "unknown_neighborhood");
  expect_refused(http::verb::get, "/v1/neighborhoods/locate?lat=33.7&lon=-118.6", token("op"), "",
                 404, "outside_coverage");
  expect_refused(http::verb::get, "/v1/neighborhoods/locate?lat=north&lon=-118.6", token("op"), "",
                 400, "bad_location");
}

TEST_F(BadInput, ABodyOverTheLimitIsRefused) {
  expect_refused(http::verb::post, reports, token("op"), std::string(70 * 1024, 'a'), 413,
                 "body_too_large");
}

TEST_F(BadInput, UnknownRoutesAndMethodsAreRefused) {
  expect_refused(http::verb::get, "/v1/nothing-here", token("op"), "", 404, "not_found");
  expect_refused(http::verb::delete_, "/v1/reports", token("op"), "", 405, "method_not_allowed");
  expect_refused(http::verb::post, "/v1/incidents/inc-0/explode", token("disp"), "", 404,
                 "not_found");
}

TEST_F(BadInput, MissingOrWrongTokensAreRefused) {
  auto body = report_json(34.03, -118.21);
  expect_refused(http::verb::post, reports, "", body, 401, "missing_token");
  expect_refused(http::verb::post, reports, "not-a-real-token", body, 401, "bad_token");
  expect_refused(http::verb::get, "/v1/incidents", "", "", 401, "missing_token");
  expect_refused(http::verb::get, "/v1/neighborhoods", "wrong", "", 401, "bad_token");
}

TEST_F(BadInput, WrongRolesAreRefused) {
  expect_refused(http::verb::post, reports, token("vol-bh"), report_json(34.03, -118.21), 403,
                 "forbidden");
  expect_refused(http::verb::get, "/v1/incidents", token("op"), "", 403, "forbidden");
}

TEST_F(BadInput, ActionsOnIncidentsThatDoNotExistOrAreNotYoursAreRefused) {
  expect_refused(http::verb::post, "/v1/incidents/inc-nope/confirm", token("disp"), "", 404,
                 "not_found");
  expect_refused(http::verb::get, "/v1/incidents/inc-nope", token("disp"), "", 404, "not_found");
  expect_refused(
      http::verb::post, "/v1/acks", token("obs-bh"),
      R"({"alertId":"al-00000000000000a1","incidentId":"inc-00000000000000b2","state":"EN_ROUTE"})",
      404, "not_found");
  // An id the server never made is bad input, whether or not Redis is there to ask.
  expect_refused(http::verb::post, "/v1/acks", token("obs-bh"),
                 R"({"alertId":"al-1","incidentId":"inc-nope","state":"EN_ROUTE"})", 400,
                 "bad_incident_id");
  expect_refused(http::verb::post, "/v1/acks", token("obs-bh"),
                 R"({"alertId":"al-1","incidentId":"inc-nope"})", 400, "missing_state");

  auto created = node_->call(http::verb::post, reports, token("op"),
                             report_json(34.0537, -118.2428));  // downtown
  ASSERT_EQ(created.status, 201u) << created.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(created.body, receipt), "");
  const auto& id = receipt.incident().id();
  const auto& alert = receipt.incident().alerts(0).id();
  // A responder of another neighborhood may neither read it nor ack it, nor a volunteer confirm it.
  expect_refused(http::verb::get, "/v1/incidents/" + id, token("obs-bh"), "", 404, "not_found");
  expect_refused(
      http::verb::post, "/v1/acks", token("vol-bh"),
      R"({"alertId":")" + alert + R"(","incidentId":")" + id + R"(","state":"EN_ROUTE"})", 403,
      "forbidden");
  expect_refused(
      http::verb::post, "/v1/acks", token("obs-dt"),
      R"({"alertId":"al-00000000000000ff","incidentId":")" + id + R"(","state":"EN_ROUTE"})", 404,
      "unknown_alert");
  expect_refused(http::verb::post, "/v1/incidents/" + id + "/confirm", token("vol-bh"), "", 403,
                 "forbidden");
  expect_refused(http::verb::post, "/v1/incidents/" + id + "/resolve", token("op"), "", 403,
                 "forbidden");
  expect_refused(http::verb::post, "/v1/incidents/" + id + "/updates", token("disp"),
                 "{\"text\": 5", 400, "bad_json");
}

// Issue 15: "GET /v1/incidents/<id>:acks" read another Redis key as the incident (503 and a
// WRONGTYPE in the log). An id the server could not have made names no incident.
TEST_F(BadInput, IdsThatNameOtherRedisKeysAreNotFound) {
  auto created = node_->call(http::verb::post, reports, token("op"),
                             report_json(34.0537, -118.2428));  // downtown
  ASSERT_EQ(created.status, 201u) << created.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(created.body, receipt), "");
  const auto& id = receipt.incident().id();
  for (const char* suffix : {":acks", ":reports", ":alerts", ":deliveries"}) {
    expect_refused(http::verb::get, "/v1/incidents/" + id + suffix, token("disp"), "", 404,
                   "not_found");
    expect_refused(http::verb::post, "/v1/incidents/" + id + suffix + "/confirm", token("disp"), "",
                   404, "not_found");
    expect_refused(http::verb::post, "/v1/incidents/" + id + suffix + "/evidence", token("disp"),
                   "", 404, "not_found");
  }
  for (const char* odd : {"INC-0000000000000000", "inc-000000000000000", "inc-00000000000000000",
                          "inc-000000000000000g", "inc-*", "inc-%00"})
    expect_refused(http::verb::get, std::string("/v1/incidents/") + odd, token("disp"), "", 404,
                   "not_found");
  // Token ids are looked up among the tokens the node knows, never used as a key.
  expect_refused(http::verb::post, "/v1/admin/tokens/tok-1:x/revoke", token("admin"), "", 404,
                 "not_found");
  EXPECT_EQ(node_->call(http::verb::get, "/v1/incidents/" + id, token("disp")).status, 200u);
}

TEST_F(BadInput, AProtobufBodyThatDoesNotParseIsRefused) {
  expect_refused(http::verb::post, reports, token("op"), std::string("\xff\xff\xff\xff", 4), 400,
                 "bad_protobuf", "application/x-protobuf");
}

TEST_F(BadInput, GarbageOnTheWireIsAnsweredAndTheNodeKeepsServing) {
  boost::asio::io_context ioc;
  for (std::string garbage :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("POST /v1/reports HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
        std::string(100000, '\x01')}) {
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), node_->port()});
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(garbage), ec);
    std::string answer;
    boost::asio::read(socket, boost::asio::dynamic_buffer(answer), ec);  // until the node closes
    EXPECT_TRUE(answer.empty() || answer.starts_with("HTTP/1.1 4")) << answer.substr(0, 80);
  }
  EXPECT_EQ(node_->call(http::verb::get, "/healthz", "").status, 200u);
}

TEST_F(BadInput, HugeNumbersNaNAndUnknownEnumValuesAreRefused) {
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":1e400,"lon":-118.2}})", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":1e300,"lon":-118.2}})", 400, "bad_location");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":"NaN","lon":-118.2}})", 400, "bad_location");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","location":{"lat":34.03,"lon":"-Infinity"}})", 400,
                 "bad_location");
  // An enum value the wire does not define is no kind or state at all, whatever its number.
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":99,"location":{"lat":34.03,"lon":-118.21}})", 400, "bad_kind");
  expect_refused(http::verb::post, "/v1/acks", token("obs-bh"),
                 R"({"alertId":"al-1","incidentId":"inc-1","state":99})", 400, "bad_state");
  expect_refused(http::verb::post, "/v1/me/availability", token("obs-bh"),
                 R"({"available":true,"minutes":10000000000})", 400, "bad_json");
  expect_refused(http::verb::post, "/v1/me/availability", token("obs-bh"),
                 R"({"available":true,"minutes":1441})", 400, "bad_minutes");
  expect_refused(http::verb::post, "/v1/incidents/inc-0000000000000000/updates", token("disp"),
                 R"({"location":{"lat":"NaN","lon":1}})", 400, "bad_location");
  for (const char* query :
       {"lat=nan&lon=-118.2", "lat=34.03&lon=inf", "lat=1e999&lon=-118.2", "lat=&lon=-118.2"})
    expect_refused(http::verb::get, std::string("/v1/neighborhoods/locate?") + query, token("op"),
                   "", 400, "bad_location");
}

TEST_F(BadInput, TextThatIsNotUtf8IsRefusedWithAReadableError) {
  expect_refused(http::verb::post, reports, token("op"),
                 "{\"kind\":\"RAID\",\"description\":\"\xff\xfe\"}", 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"),
                 R"({"kind":"RAID","description":"\ud800"})", 400, "bad_json");
  v1::Report report;
  report.set_kind(v1::RAID);
  report.set_description("ok");
  std::string binary = report.SerializeAsString();
  binary.back() = '\xff';  // the description's last byte
  expect_refused(http::verb::post, reports, token("op"), binary, 400, "bad_protobuf",
                 "application/x-protobuf");
}

TEST_F(BadInput, DeeplyNestedJsonIsRefused) {
  expect_refused(http::verb::post, reports, token("op"), std::string(60000, '['), 400, "bad_json");
  expect_refused(http::verb::post, reports, token("op"),
                 "{\"description\":" + std::string(60000, '['), 400, "bad_json");
  std::string nested;
  for (int i = 0; i < 2000; ++i) nested += "{\"location\":";
  expect_refused(http::verb::post, reports, token("op"), nested, 400, "bad_json");
}

// Sends `request` on a fresh connection and returns what the node answers before it closes.
std::string raw_exchange(unsigned short port, const std::string& request) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::system::error_code ec;
  boost::asio::write(socket, boost::asio::buffer(request), ec);
  std::string answer;
  boost::asio::read(socket, boost::asio::dynamic_buffer(answer), ec);  // until the node closes
  return answer;
}

TEST_F(BadInput, OversizedHeadersAndChunkedBodiesAreRefused) {
  auto answer = raw_exchange(node_->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                                                std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431")) << answer.substr(0, 200);
  EXPECT_NE(answer.find("\"headers_too_large\""), std::string::npos) << answer.substr(0, 400);

  answer = raw_exchange(node_->port(),
                        "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 431")) << answer.substr(0, 200);

  // Chunks that each look small add up past the body limit all the same.
  std::string chunked = "POST /v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        token("op") +
                        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 80; ++i) chunked += "400\r\n" + std::string(1024, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  const auto keys_before = net_->redis_key_count();
  answer = raw_exchange(node_->port(), chunked);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer.substr(0, 200);
  EXPECT_NE(answer.find("\"body_too_large\""), std::string::npos) << answer.substr(0, 400);
  EXPECT_EQ(net_->redis_key_count(), keys_before);
  EXPECT_EQ(node_->call(http::verb::get, "/healthz", "").status, 200u);
}

// Issue 15: a Transfer-Encoding other than "chunked" alone was read as no body, and its body's
// bytes as the next request: a way past a proxy that reads the framing otherwise.
TEST_F(BadInput, ATransferEncodingOtherThanChunkedIs400AndTheConnectionCloses) {
  const auto keys_before = net_->redis_key_count();
  for (std::string coding : {"xchunked", "chunked, identity", "identity", "gzip, chunked",
                             "chunked\r\nTransfer-Encoding: chunked"}) {
    // The "body" is a second request: read as one, it would answer 200 on the same connection.
    std::string request = "POST /v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          token("op") + "\r\nTransfer-Encoding: " + coding + "\r\n\r\n" +
                          "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    auto answer = raw_exchange(node_->port(), request);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << coding << ": " << answer.substr(0, 200);
    // Beast refuses the header given twice, and a chunked body that is not, itself ("bad_request").
    if (!coding.ends_with("chunked")) {
      EXPECT_NE(answer.find("\"bad_transfer_encoding\""), std::string::npos)
          << coding << ": " << answer.substr(0, 400);
    }
    EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos)
        << coding << ": a smuggled request was answered";
  }
  EXPECT_EQ(net_->redis_key_count(), keys_before);
  // "chunked" itself, in any case, still carries a body.
  std::string body = report_json(34.0537, -118.2428);
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  auto answer = raw_exchange(
      node_->port(),
      "POST /v1/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
          token("op") + "\r\nTransfer-Encoding: Chunked\r\n\r\n" + size + "\r\n" + body +
          "\r\n0\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 201")) << answer.substr(0, 300);
}

// HTTP matches an authentication scheme without regard to case (RFC 9110 11.1): a client that
// sends "bearer" is signed in like one that sends "Bearer"; a scheme glued to its token is not.
TEST_F(BadInput, TheAuthorizationSchemeIsReadInAnyCase) {
  const auto ask = [&](const std::string& authorization) {
    return raw_exchange(node_->port(),
                        "GET /v1/me/availability HTTP/1.1\r\nHost: x\r\n"
                        "Connection: close\r\nAuthorization: " +
                            authorization + "\r\n\r\n");
  };
  for (const std::string scheme : {"Bearer ", "bearer ", "BEARER ", "Bearer   "}) {
    const auto answer = ask(scheme + token("obs-bh"));
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << scheme << answer.substr(0, 300);
  }
  for (const std::string& refused : {"Bearer" + token("obs-bh"), "Basic " + token("obs-bh"),
                                     "Bearer " + token("obs-bh") + "x"}) {
    const auto answer = ask(refused);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 401")) << answer.substr(0, 300);
  }
}

}  // namespace
}  // namespace puente::test
