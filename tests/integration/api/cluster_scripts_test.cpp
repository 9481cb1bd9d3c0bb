// Every Lua script of server/store/lua/ runs on a Redis Cluster (issue 23), on the primary
// serving the network's slot (cluster_scripts.hpp: SCRIPT EXISTS there), and answers as on one
// Redis: a corroborating report, a report held past the neighborhood's cap and approved, an
// escalation, evidence marked, a photo uploaded and listed, a token issued, availability set, the
// alert history replayed to a socket; a phone subscribed to Web Push and removed, an incident
// purged by the retention; an alert pushed to a phone of the loopback push service, shown and acked
// with its capability, and a test push; an alert texted through a real Kannel, its delivery report
// and the SMS status. The table below names what each test asserts, and
// ClusterScripts.TheTestsTogetherAssertEveryScript checks it against the generated list of every
// script, so a script added later fails until a test here runs it.
#include "cluster_scripts.hpp"
#include "cluster_config.hpp"
#include "file_text.hpp"
#include "free_port.hpp"
#include "kannel_gateway.hpp"
#include "loopback_push_service.hpp"
#include "media_upload.hpp"
#include "sms_sections.hpp"
#include "test_network.hpp"

#include "channels/push/p256_key.hpp"
#include "channels/push/vapid.hpp"
#include "core/base64url.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// The scripts each test asserts ran on the slot's primary: together, every script.
const std::map<std::string, std::vector<std::string>> scripts_of_test{
    {"CorroborationHeldReportsEscalationEvidenceMediaAndTokensRunOnTheSlotsPrimary",
     {"open_incident", "read_availability", "attach_report", "approve_incident", "append_audit",
      "advance_incident", "escalate_incident", "mark_evidence", "open_upload", "save_media",
      "list_media", "save_token", "set_availability", "load_incident", "list_incidents",
      "recovery_check", "replay_alerts"}},
    {"PushSubscriptionsAndTheRetentionPurgeRunOnTheSlotsPrimary",
     {"save_push_subscription", "remove_push_subscription", "purge_incident", "prune_presence"}},
    {"APushedAlertShownAndAckedByItsCapabilityRunsOnTheSlotsPrimary",
     {"take_rungs", "rung_facts", "claim_jobs", "load_alert", "finish_push_job",
      "find_alert_incident", "record_push_shown", "replace_push_subscription", "record_ack",
      "send_on_scene", "queue_phone_push"}},
    {"ATextedAlertItsDeliveryReportAndTheSmsStatusRunOnTheSlotsPrimary",
     {"sms_job_facts", "finish_sms_job", "record_text_report", "sms_status"}},
};

// Waits (up to 20 s: some run on timers) until every script the running test is listed for
// has run on the cluster's primary of the network's slot; fails naming those that did not.
void expect_ran(const RedisCluster& cluster) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  const auto& wanted = scripts_of_test.at(test);
  std::vector<std::string> missing;
  wait_until(
      [&] {
        const auto ran = scripts_run_on_cluster(cluster, "la", false);
        missing.clear();
        for (const auto& script : wanted)
          if (std::find(ran.begin(), ran.end(), script) == ran.end()) missing.push_back(script);
        if (!missing.empty()) std::this_thread::sleep_for(200ms);  // a question per script
        return missing.empty();
      },
      20s);
  scripts_run_on_cluster(cluster);  // printed once, for the log
  for (const auto& script : missing) ADD_FAILURE() << script << " did not run";
}

TEST(ClusterScripts, TheTestsTogetherAssertEveryScript) {
  std::set<std::string> listed;
  for (const auto& [test, scripts] : scripts_of_test) listed.insert(scripts.begin(), scripts.end());
  std::set<std::string> every;
  for (const auto& script : store::lua::every_script) every.emplace(script.name);
  for (const auto& name : every)
    EXPECT_TRUE(listed.contains(name)) << name << " runs in no ClusterScripts test";
  for (const auto& name : listed)
    EXPECT_TRUE(every.contains(name)) << name << " is no script of server/store/lua/";
}

TEST(ClusterScripts, CorroborationHeldReportsEscalationEvidenceMediaAndTokensRunOnTheSlotsPrimary) {
  RedisCluster cluster;
  TestNetwork net(
      "[policy]\nunverified_cap = 2\nunverified_window_seconds = 3600\n"
      "[[policy.escalation]]\ndeadline_seconds = 1\naudience = \"dispatchers\"\n",
      "", cluster_redis_lines(cluster));
  auto a = net.start_node("a");
  auto report = [&](int spot) {
    const auto where = boyle_heights_spot(spot);
    auto response = a->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(where.lat, where.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    return receipt.incident();
  };

  const auto first = report(0);
  EXPECT_EQ(report(0).id(), first.id()) << "the same spot and kind corroborates";
  report(1);
  const auto held = report(2);  // past the cap of two new unverified incidents
  auto approved =
      a->call(http::verb::post, "/v1/incidents/" + held.id() + "/approve", net.token("disp"));
  EXPECT_EQ(approved.status, 200u) << approved.body;

  auto marked =
      a->call(http::verb::post, "/v1/incidents/" + first.id() + "/evidence", net.token("disp"));
  EXPECT_EQ(marked.status, 200u) << marked.body;

  const auto photo =
      upload_media(*a, net.token("obs-bh"), first.id(), "PHOTO", "image/jpeg", jpeg_with_gps());
  EXPECT_FALSE(photo.id().empty());
  auto listed =
      a->call(http::verb::get, "/v1/incidents/" + first.id() + "/media", net.token("disp"));
  EXPECT_EQ(listed.status, 200u) << listed.body;
  EXPECT_NE(listed.body.find(photo.id()), std::string::npos) << listed.body;

  auto issued = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                        R"({"responderId":"obs-bh","expiresInSeconds":0,"note":"phone"})");
  EXPECT_EQ(issued.status, 201u) << issued.body;

  // Confirmed, with nobody on scene: the dispatchers are paged a second later.
  auto confirmed =
      a->call(http::verb::post, "/v1/incidents/" + first.id() + "/confirm", net.token("disp"));
  EXPECT_EQ(confirmed.status, 200u) << confirmed.body;
  auto available = a->call(http::verb::post, "/v1/me/availability", net.token("obs-dt"),
                           R"({"available":true,"minutes":30})");
  EXPECT_EQ(available.status, 200u) << available.body;
  EXPECT_EQ(a->call(http::verb::get, "/v1/incidents", net.token("disp")).status, 200u);
  EXPECT_EQ(a->call(http::verb::get, "/v1/incidents/" + held.id(), net.token("disp")).status, 200u);
  // Back from the first alert on: the alerts after it are replayed (replay_alerts).
  ASSERT_GT(first.alerts_size(), 0);
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"}, false,
                            {{"boyle-heights", first.alerts(0).offset()}});

  expect_ran(cluster);
}

TEST(ClusterScripts, PushSubscriptionsAndTheRetentionPurgeRunOnTheSlotsPrimary) {
  RedisCluster cluster;
  TestNetwork net(
      "[push]\nvapid_key_file = \"vapid.pem\"\nsubject = \"mailto:ops@puente.test\"\n"
      "[privacy]\ncaller_key_file = \"caller.key\"\nretention_seconds = 3\n"
      "purge_interval_seconds = 1\naof_rewrite_interval_seconds = 1\n",
      "", cluster_redis_lines(cluster));
  push::VapidKey::generate().write_pem_file(net.dir() / "vapid.pem");
  std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
  auto a = net.start_node("a");

  const std::string phone = R"({"endpoint":"https://fcm.googleapis.com/fcm/send/cluster-phone",)"
                            R"("keys":{"p256dh":")" +
                            core::base64url_encode(push::P256Key::generate().public_point()) +
                            R"(","auth":")" + core::base64url_encode(std::string(16, '\x05')) +
                            R"("},"device":"test phone"})";
  auto subscribed =
      a->call(http::verb::post, "/v1/me/push-subscriptions", net.token("obs-bh"), phone);
  ASSERT_EQ(subscribed.status, 201u) << subscribed.body;
  v1::PushSubscription stored;
  ASSERT_EQ(wire::from_json(subscribed.body, stored), "");
  auto removed =
      a->call(http::verb::delete_, "/v1/me/push-subscriptions/" + stored.id(), net.token("obs-bh"));
  EXPECT_TRUE(removed.ok()) << removed.status << " " << removed.body;

  const auto where = boyle_heights_spot(3);
  auto reported =
      a->call(http::verb::post, "/v1/reports", net.token("op"),
              report_json(where.lat, where.lon, "RAID", R"("callerPhone":"+12135550123")"));
  ASSERT_EQ(reported.status, 201u) << reported.body;
  v1::ReportReceipt receipt;
  ASSERT_EQ(wire::from_json(reported.body, receipt), "");
  const auto id = receipt.incident().id();
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + id + "/resolve", net.token("disp")).status,
            200u);
  EXPECT_TRUE(wait_until(
      [&] {
        return a->call(http::verb::get, "/v1/incidents/" + id, net.token("disp")).status == 404;
      },
      60s))
      << "the resolved incident was not purged";

  expect_ran(cluster);
}

TEST(ClusterScripts, APushedAlertShownAndAckedByItsCapabilityRunsOnTheSlotsPrimary) {
  if (auto missing = LoopbackPushService::missing_tools(); !missing.empty()) {
    if (std::getenv("PUENTE_REQUIRE_BROWSER")) FAIL() << "the push tests need:" << missing;
    GTEST_SKIP() << "the push tests need:" << missing;
  }
  RedisCluster cluster;
  LoopbackPushService service;
  TestNetwork net(
      "[push]\nvapid_key_file = \"vapid.pem\"\nsubject = \"mailto:ops@puente.test\"\n"
      "allowed_hosts = [\"localhost\"]\nallow_private_addresses = true\nca_file = \"" +
          service.certificate().string() + "\"\n[delivery]\nsocket_grace_ms = 300\n",
      "", cluster_redis_lines(cluster));
  push::VapidKey::generate().write_pem_file(net.dir() / "vapid.pem");
  auto a = net.start_node("a");

  // A phone of the loopback service, subscribed as the observer page subscribes it.
  const auto phone = service.subscribe();
  auto subscribed =
      a->call(http::verb::post, "/v1/me/push-subscriptions", net.token("obs-bh"),
              R"({"endpoint":")" + phone.endpoint + R"(","keys":{"p256dh":")" + phone.p256dh +
                  R"(","auth":")" + phone.auth + R"("},"device":"test phone"})");
  ASSERT_EQ(subscribed.status, 201u) << subscribed.body;
  const auto pushes = [&] {
    boost::json::array mine;
    for (const auto& push : service.received())
      if (push.at("subscription").as_string() == phone.id) mine.push_back(push);
    return mine;
  };

  const auto incident = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_TRUE(wait_until([&] { return !pushes().empty(); })) << service.log();
  const auto payload = boost::json::parse(push_plaintext(pushes()[0])).as_object();
  const std::string alert(payload.at("alert").at("id").as_string());
  const std::string capability(payload.at("capability").as_string());
  const auto from_phone = [&](const std::string& target, const std::string& body) {
    client::HttpClient http(a->address());
    return http.request(http::verb::post, target, body, {}, "application/json",
                        {{"Authorization", "Capability " + capability}});
  };
  auto shown = from_phone("/v1/push/shown", R"({"alertId":")" + alert + R"("})");
  EXPECT_EQ(shown.status, 204u) << shown.body;
  // NEED_HELP calls for help: an on-scene alert of its own.
  auto acked = from_phone("/v1/acks", R"({"alertId":")" + alert + R"(","incidentId":")" + incident +
                                          R"(","state":"NEED_HELP"})");
  EXPECT_EQ(acked.status, 201u) << acked.body;
  auto test_push = a->call(http::verb::post, "/v1/admin/push-test", net.token("admin"),
                           R"({"responderId":"obs-bh"})");
  EXPECT_EQ(test_push.status, 202u) << test_push.body;
  EXPECT_TRUE(wait_until([&] { return pushes().size() >= 2; })) << service.log();

  expect_ran(cluster);
}

TEST(ClusterScripts, ATextedAlertItsDeliveryReportAndTheSmsStatusRunOnTheSlotsPrimary) {
  ASSERT_EQ(KannelGateway::missing_programs(), "")
      << "install kannel and kannel-extras (deploy/install-deps.sh)";
  RedisCluster cluster;
  TempDir files{"puente-cluster-sms-"};
  // Kannel's delivery reports come to the node's port, chosen now.
  const auto port = free_port();
  const auto credentials = files.path() / "puente-kannel.conf";
  KannelGateway kannel(
      make_gateway_credentials(credentials, "http://127.0.0.1:" + std::to_string(port)));
  TestNetwork net(sms_sections(credentials, kannel.sendsms_port(), "5550000", port), "",
                  cluster_redis_lines(cluster));
  std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
  std::ofstream(net.dir() / "roster.toml", std::ios::app)
      << "[[responder]]\nid = \"sms-ana\"\nroles = [\"legal_observer\"]\n"
      << "neighborhoods = [\"boyle-heights\"]\nlanguages = [\"es\"]\n"
      << "phone = \"+13235550101\"\nchannels = [\"sms\"]\n\n";
  auto a = net.start_node("a", true, {"--listen", "127.0.0.1:" + std::to_string(port)});

  const auto incident = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_TRUE(wait_until([&] { return !kannel.phone_received().empty(); }, 20s))
      << kannel.logs() << file_text(a->log_path());
  // The fake SMS centre's delivery report reaches the delivery record.
  EXPECT_TRUE(wait_until(
      [&] {
        v1::Incident read;
        auto got = a->call(http::verb::get, "/v1/incidents/" + incident, net.token("disp"));
        if (!wire::from_json(got.body, read).empty()) return false;
        for (const auto& d : read.deliveries())
          if (d.responder_id() == "sms-ana" && d.has_text_delivered_at()) return true;
        return false;
      },
      20s))
      << kannel.logs();
  auto status = a->call(http::verb::get, "/v1/sms/status", net.token("disp"));
  EXPECT_EQ(status.status, 200u) << status.body;
  EXPECT_NE(status.body.find("\"sentThisHour\":1"), std::string::npos) << status.body;

  expect_ran(cluster);
}

}  // namespace
}  // namespace puente::test
