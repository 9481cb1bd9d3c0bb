// Every route of the router, called by every role of the test roster (the scraper's "metrics"
// too) and without a valid token: each answer is what server/core/access.cpp decides, from the
// table below. A route added anywhere in server/ (router.add) without a row here fails
// RouteTableCoversEveryRoute.
//
// The rows run in order against one real node and share one incident in Boyle Heights, opened
// by the operator before the table: an incident step that an earlier caller already took
// answers 409, which still means "allowed" (the permission is checked before the transition).
#include "test_network.hpp"

#include "channels/push/vapid.hpp"
#include "core/push_subscription.hpp"
#include "puente/v1/json.hpp"

#include <gtest/gtest.h>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// The callers: the roster's responders (see TestNetwork), then two without a valid token.
const std::string no_token = "(no token)";
const std::string bad_token = "(bad token)";
const std::vector<std::string> responders = {"op",          "disp",   "admin",  "obs-bh",
                                             "obs-dt",      "vol-bh", "att-bh", "obs-off",
                                             "obs-standby", "metrics"};

// The role groups of access.cpp, for an incident in Boyle Heights.
using Callers = std::set<std::string>;
const Callers staff = {"disp", "admin"};
const Callers field_bh = {"obs-bh", "vol-bh", "att-bh", "obs-off"};  // cover Boyle Heights
const Callers field_elsewhere = {"obs-dt", "obs-standby"};           // cover downtown
const Callers observers = {"obs-bh", "obs-dt", "obs-off", "obs-standby"};
// Every role but the scraper's: a "metrics" token reads /metrics and is refused (403) anywhere
// else, before any other rule is asked.
const Callers anyone = [] {
  Callers all(responders.begin(), responders.end());
  all.erase("metrics");
  return all;
}();

Callers operator+(Callers a, const Callers& b) {
  a.insert(b.begin(), b.end());
  return a;
}

// What a caller with a valid token who is not allowed gets: 403, or 404 where the route does not
// tell whether the incident exists.
enum class Denied { forbidden, hidden };

struct Route {
  http::verb method;
  std::string pattern;  // as api_routes.cpp adds it
  std::string target;   // {id}: the shared incident
  std::string body;     // {id}, {alert}: the shared incident and its VERIFY alert
  Callers allowed;      // empty: a public route, allowed without a token too
  std::set<unsigned> allowed_statuses;
  Denied denied = Denied::forbidden;
};

const std::string report = report_json(boyle_heights.lat, boyle_heights.lon);

// A phone's subscription (the keys: RFC 8291 Appendix A's, a real P-256 point) and its id.
const std::string phone_endpoint = "https://fcm.googleapis.com/fcm/send/matrix";
const std::string phone =
    R"({"endpoint":")" + phone_endpoint +
    R"(","keys":{"p256dh":"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4","auth":"BTBZMqHH6r4Tts7J_aSIgg"},"device":"matrix phone"})";
const std::string phone_path =
    "/v1/me/push-subscriptions/" + core::push_subscription_id(phone_endpoint);

// One row per route (and per incident step): who may call it and what they get.
const std::vector<Route>& routes() {
  // One row a line, whatever the width.
  // clang-format off
  static const std::vector<Route> all = {
    {http::verb::get, "/healthz", "/healthz", "", {}, {200}},
    {http::verb::get, "/readyz", "/readyz", "", {}, {200}},
    // The counters tell when raids are reported, live: an admin or the scraper only.
    {http::verb::get, "/metrics", "/metrics", "", Callers{"admin", "metrics"}, {200}},
    // 200: the same report again corroborates the incident an earlier caller opened.
    {http::verb::post, "/v1/reports", "/v1/reports", report, staff + observers + Callers{"op"}, {200, 201}},
    {http::verb::get, "/v1/incidents", "/v1/incidents", "", staff + field_bh + field_elsewhere, {200}},
    {http::verb::get, "/v1/incidents/{id}", "/v1/incidents/{id}", "", staff + field_bh, {200}, Denied::hidden},
    {http::verb::post, "/v1/acks", "/v1/acks", R"({"alertId":"{alert}","incidentId":"{id}","state":"RECEIVED"})",
     staff + field_bh, {201}},
    // A legal observer of Boyle Heights may confirm and update only once on scene; nobody is.
    {http::verb::post, "/v1/incidents/{id}/{step}", "/v1/incidents/{id}/updates", R"({"text":"matrix"})", staff, {200}},
    {http::verb::post, "/v1/incidents/{id}/{step}", "/v1/incidents/{id}/confirm", "", staff, {200, 409}},
    {http::verb::post, "/v1/incidents/{id}/{step}", "/v1/incidents/{id}/false-alarm", "", staff, {200, 409}},
    {http::verb::post, "/v1/incidents/{id}/{step}", "/v1/incidents/{id}/resolve", "", staff, {409}},
    // Closed by then: the first staff caller reopens it, the others find it open.
    {http::verb::post, "/v1/incidents/{id}/{step}", "/v1/incidents/{id}/reopen", R"({"text":"matrix"})", staff, {200, 409}},
    // Evidence changes no status: a second mark answers 200 like the first.
    {http::verb::post, "/v1/incidents/{id}/evidence", "/v1/incidents/{id}/evidence", "", staff, {200}},
    // Planted reports (issue 19 item 4): only staff approve a held incident; this one is not held.
    {http::verb::post, "/v1/incidents/{id}/{step}", "/v1/incidents/{id}/approve", "", staff, {409}},
    {http::verb::get, "/v1/neighborhoods", "/v1/neighborhoods", "", anyone, {200}},
    {http::verb::get, "/v1/neighborhoods/locate", "/v1/neighborhoods/locate?lat=34.0335&lon=-118.211", "", anyone, {200}},
    {http::verb::get, "/v1/roster/on-call", "/v1/roster/on-call", "", staff, {200}},
    {http::verb::post, "/v1/me/availability", "/v1/me/availability", R"({"available":false})", anyone, {200}},
    {http::verb::get, "/v1/me/availability", "/v1/me/availability", "", anyone, {200}},
    {http::verb::get, "/v1/neighborhoods/map", "/v1/neighborhoods/map", "", anyone, {200}},
    {http::verb::get, "/v1/neighborhoods/map/tiles", "/v1/neighborhoods/map/tiles", "", anyone, {200}},
    {http::verb::get, "/v1/network", "/v1/network", "", anyone, {200}},
    // Address search: this network has no geocoder, which an allowed caller learns (404).
    {http::verb::post, "/v1/geocode", "/v1/geocode", R"({"text":"Soto"})", staff + Callers{"op"}, {404}},
    // Public: an <image> cannot send a token, and a map tile is no secret. The node serves
    // [web] tiles_dir, which holds this tile.
    {http::verb::get, "/tiles/{z}/{x}/{y}", "/tiles/0/0/0.png", "", {}, {200}},
    {http::verb::post, "/v1/admin/tokens", "/v1/admin/tokens", R"({"responderId":"vol-bh","expiresInSeconds":60})", Callers{"admin"}, {201}},
    {http::verb::get, "/v1/admin/tokens", "/v1/admin/tokens", "", Callers{"admin"}, {200}},
    // No such token: an admin learns that (404); anyone else is refused before.
    {http::verb::post, "/v1/admin/tokens/{id}/revoke", "/v1/admin/tokens/tok-none/revoke", "", Callers{"admin"}, {404}},
    {http::verb::get, "/v1/admin/audit", "/v1/admin/audit", "", Callers{"admin"}, {200}},
    // Web Push. The key is public: a page asks for it before anyone signs in on the phone.
    {http::verb::get, "/v1/push/key", "/v1/push/key", "", {}, {200}},
    {http::verb::post, "/v1/me/push-subscriptions", "/v1/me/push-subscriptions", phone, anyone, {201}},
    {http::verb::get, "/v1/me/push-subscriptions", "/v1/me/push-subscriptions", "", anyone, {200}},
    {http::verb::delete_, "/v1/me/push-subscriptions/{id}", phone_path, "", anyone, {204}},
    // A service worker's call: an ack capability, never a bearer token (401 bad_capability to all).
    {http::verb::post, "/v1/push/shown", "/v1/push/shown", R"({"alertId":"{alert}","incidentId":"{id}"})", {}, {401}},
    // Push is on in this network ([push] below), so the node runs the dispatch: 202, the test
    // queued to each of obs-bh's phones (none by then; PushPipeline's TestPush.* follows one).
    {http::verb::post, "/v1/admin/push-test", "/v1/admin/push-test", R"({"responderId":"obs-bh"})", Callers{"admin"}, {202}},
    {http::verb::post, "/v1/me/device-tokens", "/v1/me/device-tokens", R"({"note":"matrix phone"})", anyone, {201}},
    {http::verb::get, "/v1/me/device-tokens", "/v1/me/device-tokens", "", anyone, {200}},
    {http::verb::delete_, "/v1/me/device-tokens/{id}", "/v1/me/device-tokens/tok-none", "", anyone, {404}},
    // Kannel's callbacks take its Basic credentials, never a bearer token (sms_inbound_test.cpp
    // checks them with SMS on); this network has SMS off: 404 sms_not_configured for anyone.
    {http::verb::post, "/v1/sms/inbound", "/v1/sms/inbound?from=%2B13235550123&id=1", "2", {}, {404}},
    {http::verb::get, "/v1/sms/dlr", "/v1/sms/dlr?m=x&s=1", "", {}, {404}},
    {http::verb::get, "/v1/sms/status", "/v1/sms/status", "", staff, {200}},
    // Media and evidence (docs/evidence.md): who sees the incident attaches; dispatchers and
    // its neighborhood's attorney read and export; to anyone else the media are not found.
    {http::verb::post, "/v1/incidents/{id}/media", "/v1/incidents/{id}/media",
     R"({"kind":"PHOTO","size":1000,"contentType":"image/jpeg"})", staff + field_bh, {201}, Denied::hidden},
    {http::verb::get, "/v1/incidents/{id}/media", "/v1/incidents/{id}/media", "", staff + Callers{"att-bh"}, {200}, Denied::hidden},
    {http::verb::get, "/v1/incidents/{id}/evidence-bundle", "/v1/incidents/{id}/evidence-bundle", "", staff + Callers{"att-bh"}, {200}, Denied::hidden},
    // No such upload or media: 404 to everyone allowed at all; a chunk without Upload-Offset 400.
    {http::verb::get, "/v1/uploads/{id}", "/v1/uploads/upl-0000000000000000", "", anyone, {404}},
    {http::verb::put, "/v1/uploads/{id}", "/v1/uploads/upl-0000000000000000", "bytes", anyone, {400}},
    {http::verb::get, "/v1/media/{id}", "/v1/media/med-0000000000000000", "", anyone, {404}},
    {http::verb::get, "/v1/media/{id}/shared", "/v1/media/med-0000000000000000/shared", "", anyone, {404}},
    {http::verb::get, "/v1/evidence/key", "/v1/evidence/key", "", anyone, {200}},
  };
  // clang-format on
  return all;
}

std::string filled(std::string text, const std::string& id, const std::string& alert) {
  for (auto [name, value] : {std::pair{"{id}", id}, std::pair{"{alert}", alert}})
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name))
      text.replace(at, std::string_view(name).size(), value);
  return text;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Every router.add(http::verb::..., "...") in server/, wherever a route is added.
std::set<std::string> routes_in_source() {
  std::set<std::string> found;
  const std::regex added(R"re(router\.add\(\s*(?:net::)?http::verb::(\w+),\s*"([^"]+)")re");
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(PUENTE_SOURCE_DIR "/server")) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    const std::string source{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    for (std::sregex_iterator it(source.begin(), source.end(), added), end; it != end; ++it) {
      auto verb = (*it)[1].str();  // "delete_" is how Beast spells DELETE in C++
      if (verb.ends_with('_')) verb.pop_back();
      found.insert(verb + " " + (*it)[2].str());
    }
  }
  return found;
}

TEST(RouteRoleMatrix, RouteTableCoversEveryRoute) {
  const auto in_source = routes_in_source();
  std::set<std::string> in_table;
  for (const auto& route : routes())
    in_table.insert(lowercase(std::string(http::to_string(route.method))) + " " + route.pattern);
  EXPECT_FALSE(in_source.empty());
  for (const auto& route : in_source)
    EXPECT_TRUE(in_table.count(route)) << route << " is served but has no row in this test's table";
  for (const auto& route : in_table)
    EXPECT_TRUE(in_source.count(route)) << route << " has a row but is not served (renamed?)";
}

TEST(RouteRoleMatrix, EveryRouteAnswersEveryRoleAsAccessRulesSay) {
  TestNetwork net(
      "[web]\ntiles_dir = \"tiles\"\n[push]\nvapid_key_file = \"vapid.pem\"\nsubject = "
      "\"mailto:ops@puente.test\"\n");
  push::VapidKey::generate().write_pem_file(net.dir() / "vapid.pem");
  std::filesystem::create_directories(net.dir() / "tiles" / "0" / "0");
  std::ofstream(net.dir() / "tiles" / "0" / "0" / "0.png") << "\x89PNG";
  auto node = net.start_node("a");

  // The shared incident, and the VERIFY alert it sent.
  auto opened = node->call(http::verb::post, "/v1/reports", net.token("op"), report);
  ASSERT_EQ(opened.status, 201u) << opened.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(opened.body, receipt), "");
  ASSERT_GT(receipt.incident().alerts_size(), 0);
  const std::string id = receipt.incident().id();
  const std::string alert = receipt.incident().alerts(0).id();

  std::vector<std::string> callers = responders;
  callers.insert(callers.end(), {no_token, bad_token});
  for (const auto& route : routes()) {
    const std::string target = filled(route.target, id, alert);
    const std::string body = filled(route.body, id, alert);
    for (const auto& caller : callers) {
      const std::string token = caller == no_token    ? ""
                                : caller == bad_token ? "not-a-token"
                                                      : net.token(caller);
      const auto answer = node->call(route.method, target, token, body);
      const std::string cell = std::string(http::to_string(route.method)) + " " + target + " as " +
                               caller + ": " + std::to_string(answer.status) + " " +
                               answer.body.substr(0, 200);

      // The code of the JSON error an answer carries; empty for a success.
      std::string code;
      if (answer.status >= 400) {
        v1::ServerMessage error;
        EXPECT_EQ(wire::from_json(answer.body, error), "") << cell;
        code = error.error().code();
      }
      if (route.allowed.empty() || route.allowed.count(caller)) {
        EXPECT_TRUE(route.allowed_statuses.count(answer.status)) << "allowed, yet " << cell;
        continue;
      }
      if (caller == no_token) {
        EXPECT_EQ(answer.status, 401u) << cell;
        EXPECT_EQ(code, "missing_token") << cell;
      } else if (caller == bad_token) {
        EXPECT_EQ(answer.status, 401u) << cell;
        EXPECT_EQ(code, "bad_token") << cell;
      } else if (route.denied == Denied::hidden && caller != "metrics") {
        EXPECT_EQ(answer.status, 404u) << cell;
        EXPECT_EQ(code, "not_found") << cell;
      } else {
        EXPECT_EQ(answer.status, 403u) << cell;
        EXPECT_EQ(code, "forbidden") << cell;
      }
    }
  }
}

}  // namespace
}  // namespace puente::test
