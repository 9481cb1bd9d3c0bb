// docs/api/openapi.yaml cannot drift from the server: a real node (real redis-server, real
// puented, tests/harness) answers a set of real requests that covers every route, successes and
// the usual errors; the requests and answers go to a file, and check_openapi.mjs (beside this
// file, Node.js with the locked packages of package.json) validates the document itself, its
// paths against `puented --routes` (the router's own list), and every answer against it.
//
// Needs `npm ci` in tests/openapi (tests/run.sh does it). Without Node.js or the packages the
// test is skipped, saying what is missing; under PUENTE_REQUIRE_BROWSER=1 (tests/run.sh) it fails.
#include "file_text.hpp"
#include "loopback_geocoder.hpp"
#include "test_network.hpp"

#include "channels/push/vapid.hpp"
#include "core/push_subscription.hpp"
#include "puente/v1/json.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
namespace fs = std::filesystem;

constexpr std::chrono::seconds openapi_check_deadline{120};

// What the checker needs that the machine may lack; empty when nothing.
std::string missing_tools() {
  std::string missing;
  if (!ChildProcess::find_program("node")) missing += " node (Debian package nodejs);";
  for (const char* package : {"ajv", "ajv-formats", "yaml", "@seriousme/openapi-schema-validator"})
    if (!fs::exists(fs::path(PUENTE_OPENAPI_DIR) / "node_modules" / package))
      missing += std::string(" ") + package + " (npm ci in tests/openapi);";
  return missing;
}

bool is_binary(const std::string& content_type) {
  return content_type.starts_with("image/") || content_type.starts_with("application/x-protobuf") ||
         content_type.starts_with("application/zip") || content_type.starts_with("video/") ||
         content_type.starts_with("audio/");
}

// Records each request and its answer as one JSON line, as check_openapi.mjs reads them.
class ExchangeLog {
 public:
  ExchangeLog(const PuentedNode& node, fs::path file) : client_(node.address()), out_(file) {}

  client::HttpResponse call(http::verb verb, const std::string& target, const std::string& token,
                            const std::string& body = {},
                            const std::string& content_type = "application/json",
                            const client::Headers& headers = {}) {
    auto answer = client_.request(verb, target, body, token, content_type, headers);
    boost::json::object headers_seen;
    for (const auto& [name, value] : answer.headers) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      headers_seen[lower] = value;
    }
    boost::json::object line{
        {"method", std::string(http::to_string(verb))},
        {"target", target},
        {"requestContentType", body.empty() ? "" : content_type},
        {"requestBody", body},
        {"status", answer.status},
        {"contentType", answer.content_type},
        {"headers", std::move(headers_seen)},
        // A PNG tile's or a protobuf's bytes are no text: their length says enough.
        {"body",
         is_binary(answer.content_type) ? std::string(answer.body.size(), 'x') : answer.body}};
    out_ << boost::json::serialize(line) << '\n';
    out_.flush();
    return answer;
  }

 private:
  client::HttpClient client_;
  std::ofstream out_;
};

// A phone's subscription (RFC 8291 Appendix A's keys, a real P-256 point).
const std::string phone_endpoint = "https://fcm.googleapis.com/fcm/send/openapi";
const std::string phone =
    R"({"endpoint":")" + phone_endpoint +
    R"(","keys":{"p256dh":"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4","auth":"BTBZMqHH6r4Tts7J_aSIgg"},"device":"openapi phone"})";

TEST(OpenApi, DocumentCoversEveryRouteAndRealAnswersValidate) {
  if (auto missing = missing_tools(); !missing.empty()) {
    if (std::getenv("PUENTE_REQUIRE_BROWSER")) FAIL() << "the OpenAPI check needs:" << missing;
    GTEST_SKIP() << "the OpenAPI check needs:" << missing;
  }
  // Tiles served by the node (so /tiles/{z}/{x}/{y} is a route), Web Push on, and failed
  // sign-ins limited so that a 429 is among the answers; nothing else limited. Address search
  // through the tests' geocoder (loopback_geocoder.hpp).
  LoopbackGeocoder geocoder;
  TestNetwork net(
      "[web]\ntiles_dir = \"tiles\"\n[push]\nvapid_key_file = \"vapid.pem\"\nsubject = "
      "\"mailto:ops@puente.test\"\n[rate_limits]\nreports_per_token_per_second = 0\n"
      "requests_per_token_per_second = 0\nrequests_per_address_per_second = 0\n"
      "messages_per_socket_per_second = 0\nfailed_sign_ins_per_address_per_second = 0.01\n"
      "failed_sign_ins_per_address_burst = 3\n",
      "", "", "", "geocoder_url = \"" + geocoder.origin() + "\"\ngeocoder_timeout_ms = 1000\n");
  push::VapidKey::generate().write_pem_file(net.dir() / "vapid.pem");
  fs::create_directories(net.dir() / "tiles" / "0" / "0");
  std::ofstream(net.dir() / "tiles" / "0" / "0" / "0.png") << "\x89PNG";

  // The router's own list, from the same config.
  const auto routes = net.dir() / "routes.txt";
  {
    ChildProcess list(PUENTED_PATH, {"--config", (net.dir() / "puented.toml").string(), "--routes"},
                      routes);
    auto exit = list.wait_for_exit(std::chrono::seconds(60));
    ASSERT_TRUE(exit && exit->exited && exit->code == 0) << file_text(routes);
  }

  auto node = net.start_node("a");
  const auto exchanges = net.dir() / "exchanges.jsonl";
  ExchangeLog log(*node, exchanges);
  const auto& op = net.token("op");
  const auto& disp = net.token("disp");
  const auto& admin = net.token("admin");
  const auto& obs = net.token("obs-bh");
  const auto get = http::verb::get;
  const auto post = http::verb::post;
  const auto del = http::verb::delete_;

  log.call(get, "/healthz", "");
  log.call(get, "/readyz", "");
  log.call(get, "/metrics", net.token("metrics"));
  log.call(get, "/metrics", obs);  // 403
  log.call(get, "/metrics", "");   // 401 missing_token

  // Reports and incidents.
  auto opened =
      log.call(post, "/v1/reports", op, report_json(boyle_heights.lat, boyle_heights.lon));
  ASSERT_EQ(opened.status, 201u) << opened.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(opened.body, receipt), "");
  ASSERT_GT(receipt.incident().alerts_size(), 0);
  const auto id = receipt.incident().id();
  const auto alert = receipt.incident().alerts(0).id();
  log.call(post, "/v1/reports", disp, report_json(boyle_heights.lat, boyle_heights.lon));  // 200
  log.call(post, "/v1/reports", op, R"({"location":{"lat":34.03,"lon":-118.21},"kind":"FAST"})");
  log.call(post, "/v1/reports", op, "{not json");
  log.call(post, "/v1/reports", op, report_json(40.7128, -74.0060));  // 422: New York
  log.call(post, "/v1/reports", net.token("vol-bh"),
           report_json(boyle_heights.lat,
                       boyle_heights.lon));  // 403
  log.call(get, "/v1/incidents", disp);
  log.call(get, "/v1/incidents?status=REPORTED&neighborhood=boyle-heights", obs);
  log.call(get, "/v1/incidents/" + id, disp);
  log.call(get, "/v1/incidents/inc-none", disp);              // 404
  log.call(get, "/v1/incidents/" + id, net.token("obs-dt"));  // 404: not theirs to see
  log.call(post, "/v1/acks", obs,
           R"({"alertId":")" + alert + R"(","incidentId":")" + id + R"(","state":"EN_ROUTE"})");
  log.call(post, "/v1/acks", obs, R"({"alertId":")" + alert + R"(","state":"SLEEPY"})");  // 400
  log.call(post, "/v1/incidents/" + id + "/updates", disp, R"({"text":"two vans on Soto"})");
  log.call(post, "/v1/incidents/" + id + "/confirm", disp);
  log.call(post, "/v1/incidents/" + id + "/confirm", disp);  // 409 invalid_transition
  // A silent call for help: the incident read below shows dispatchers its HELP_CALL alert.
  log.call(post, "/v1/acks", obs,
           R"({"alertId":")" + alert + R"(","incidentId":")" + id + R"(","state":"NEED_HELP"})");
  log.call(post, "/v1/incidents/" + id + "/promote", disp);  // 404 no such action
  log.call(post, "/v1/incidents/" + id + "/evidence", disp);
  // Media (docs/evidence.md): a photo in one chunk, one that lies, the reads, the bundle.
  {
    using namespace std::string_literals;
    const auto photo = "\xFF\xD8\xFF\xE0\x00\x06JFIF\xFF\xDA\x00\x02 scan \xFF\xD9"s;
    auto declare = [&](std::size_t size) {
      v1::MediaUpload upload;
      wire::from_json(log.call(post, "/v1/incidents/" + id + "/media", obs,
                               R"({"kind":"PHOTO","size":)" + std::to_string(size) +
                                   R"(,"contentType":"image/jpeg"})")
                          .body,
                      upload);
      return upload;
    };
    auto upload = declare(photo.size());
    log.call(get, "/v1/uploads/" + upload.id(), obs);
    v1::MediaUpload done;
    wire::from_json(log.call(http::verb::put, "/v1/uploads/" + upload.id(), obs, photo,
                             "application/octet-stream", {{"Upload-Offset", "0"}})
                        .body,
                    done);
    auto liar = declare(100);
    log.call(http::verb::put, "/v1/uploads/" + liar.id(), obs, std::string(100, 'x'),
             "application/octet-stream", {{"Upload-Offset", "0"}});  // 415
    log.call(post, "/v1/incidents/" + id + "/media", obs,
             R"({"kind":"PHOTO","size":0,"contentType":"image/jpeg"})");  // 400
    log.call(get, "/v1/incidents/" + id + "/media", disp);
    log.call(get, "/v1/incidents/" + id + "/media", obs);  // 404: not for observers
    log.call(get, "/v1/media/" + done.media().id(), disp);
    log.call(get, "/v1/media/" + done.media().id() + "/shared", disp);
    log.call(get, "/v1/incidents/" + id + "/evidence-bundle", disp);
    log.call(get, "/v1/evidence/key", obs);
  }
  log.call(post, "/v1/incidents/" + id + "/resolve", obs);                               // 403
  log.call(post, "/v1/incidents/" + id + "/reopen", disp, R"({"text":"still there"})");  // 409
  log.call(post, "/v1/incidents/" + id + "/resolve", disp);
  log.call(post, "/v1/incidents/" + id + "/reopen", disp, "{}");  // 400 reason_required
  log.call(post, "/v1/incidents/" + id + "/reopen", disp, R"({"text":"resolved by mistake"})");
  log.call(get, "/v1/incidents/" + id, disp);  // with its alerts, acks and deliveries now
  // The binary encoding, asked for.
  log.call(get, "/v1/incidents/" + id, disp, {}, "application/json",
           {{"Accept", "application/x-protobuf"}});

  // Geography.
  log.call(get, "/v1/neighborhoods", obs);
  auto map = log.call(get, "/v1/neighborhoods/map", obs);
  log.call(get, "/v1/neighborhoods/map", obs, {}, "application/json",
           {{"If-None-Match", map.header("ETag").value_or("")}});  // 304
  log.call(get, "/v1/neighborhoods/map/tiles", obs);
  log.call(get, "/v1/network", obs);
  log.call(get, "/v1/neighborhoods/locate?lat=34.0335&lon=-118.211", obs);
  log.call(get, "/v1/neighborhoods/locate?lat=north&lon=-118.211", obs);  // 400
  log.call(get, "/v1/neighborhoods/locate?lat=0&lon=0", obs);             // 404
  log.call(get, "/tiles/0/0/0.png", "");
  log.call(get, "/tiles/9/9/9.png", "");  // 404
  log.call(post, "/v1/geocode", op, R"({"text":"César Chávez & Soto"})");
  log.call(post, "/v1/geocode", op, R"({"text":""})");            // 400
  log.call(post, "/v1/geocode", obs, R"({"text":"Soto"})");       // 403
  log.call(post, "/v1/geocode", op, R"({"text":"bad answer"})");  // 502
  log.call(post, "/v1/geocode", op, R"({"text":"hang"})");        // 503

  // Roster.
  log.call(get, "/v1/roster/on-call", disp);
  log.call(get, "/v1/roster/on-call?neighborhood=boyle-heights", disp);
  log.call(get, "/v1/roster/on-call?neighborhood=atlantis", disp);  // 400
  log.call(get, "/v1/roster/on-call", obs);                         // 403
  log.call(get, "/v1/me/availability", obs);
  log.call(post, "/v1/me/availability", obs, R"({"available":true,"minutes":60})");
  log.call(get, "/v1/me/availability", obs);
  log.call(post, "/v1/me/availability", obs, R"({"available":true,"minutes":5000})");  // 400

  // Admin.
  auto issued = log.call(post, "/v1/admin/tokens", admin,
                         R"({"responderId":"vol-bh","expiresInSeconds":"3600","note":"spare"})");
  ASSERT_EQ(issued.status, 201u) << issued.body;
  v1::IssuedToken token;
  ASSERT_EQ(wire::from_json(issued.body, token), "");
  log.call(post, "/v1/admin/tokens", admin, R"({"responderId":"nobody"})");  // 400
  log.call(post, "/v1/admin/tokens", disp, R"({"responderId":"vol-bh"})");   // 403
  log.call(get, "/v1/admin/tokens", admin);
  log.call(get, "/v1/admin/tokens?responder=vol-bh", admin);
  log.call(post, "/v1/admin/tokens/" + token.id() + "/revoke", admin);
  log.call(post, "/v1/admin/tokens/tok-none/revoke", admin);  // 404
  log.call(get, "/v1/admin/audit", admin);
  log.call(get, "/v1/admin/audit?after=1&limit=2", admin);
  log.call(get, "/v1/admin/audit?limit=0", admin);  // 400
  log.call(get, "/v1/admin/audit", disp);           // 403

  // Web Push.
  log.call(get, "/v1/push/key", "");
  log.call(post, "/v1/me/push-subscriptions", obs, phone);  // 201
  log.call(post, "/v1/me/push-subscriptions", obs, phone);  // 200: the same phone again
  log.call(post, "/v1/me/push-subscriptions", obs,
           R"({"endpoint":"http://example.com/x","keys":{"p256dh":"x","auth":"y"}})");  // 400
  log.call(get, "/v1/me/push-subscriptions", obs);
  const auto phone_path = "/v1/me/push-subscriptions/" + core::push_subscription_id(phone_endpoint);
  log.call(del, phone_path, obs);                                               // 204
  log.call(del, phone_path, obs);                                               // 404
  log.call(post, "/v1/admin/push-test", admin, R"({"responderId":"obs-bh"})");  // 202
  log.call(post, "/v1/admin/push-test", admin, R"({"responderId":"nobody"})");  // 400
  log.call(post, "/v1/push/shown", "", R"({"alertId":")" + alert + "\"}");      // 401

  // Device tokens.
  auto device = log.call(post, "/v1/me/device-tokens", obs, R"({"note":"my phone"})");
  ASSERT_EQ(device.status, 201u) << device.body;
  v1::IssuedToken device_token;
  ASSERT_EQ(wire::from_json(device.body, device_token), "");
  log.call(get, "/v1/me/device-tokens", obs);
  log.call(del, "/v1/me/device-tokens/" + device_token.id(), obs);  // 204
  log.call(del, "/v1/me/device-tokens/tok-none", obs);              // 404

  // SMS is off on this network: Kannel's routes are 404 sms_not_configured, the status says so.
  log.call(post, "/v1/sms/inbound?from=%2B13235550123&id=1", "", "2", "text/plain");
  log.call(get, "/v1/sms/dlr?m=x&s=1", "");
  log.call(get, "/v1/sms/status", disp);

  // What any path may get: a method the path does not take.
  log.call(get, "/v1/reports", op);  // 405
  // Wrong tokens until the address is slowed down: 401 bad_token, then 429 with Retry-After.
  unsigned last = 0;
  for (int i = 0; i < 10 && last != 429; ++i)
    last = log.call(get, "/v1/incidents", "not-a-token-" + std::to_string(i)).status;
  EXPECT_EQ(last, 429u) << "failed sign-ins were never limited";

  // Kept for a reader (and for running check_openapi.mjs by hand): build/debug/openapi/.
  fs::create_directories(PUENTE_OPENAPI_ARTIFACTS);
  for (const auto& file : {routes, exchanges})
    fs::copy_file(file, fs::path(PUENTE_OPENAPI_ARTIFACTS) / file.filename(),
                  fs::copy_options::overwrite_existing);

  ChildProcess check("node",
                     {std::string(PUENTE_OPENAPI_DIR) + "/check_openapi.mjs", "--document",
                      std::string(PUENTE_SOURCE_DIR) + "/docs/api/openapi.yaml", "--routes",
                      routes.string(), "--exchanges", exchanges.string(), "--asyncapi",
                      std::string(PUENTE_SOURCE_DIR) + "/docs/api/asyncapi.yaml", "--proto",
                      std::string(PUENTE_SOURCE_DIR) + "/proto/puente/v1/puente.proto"},
                     net.dir() / "check.log");
  auto exit = check.wait_for_exit(openapi_check_deadline);
  if (!exit) check.kill_now();
  const auto printed = file_text(net.dir() / "check.log");
  std::cout << printed;
  EXPECT_TRUE(exit && exit->exited && exit->code == 0) << printed;
}

}  // namespace
}  // namespace puente::test
