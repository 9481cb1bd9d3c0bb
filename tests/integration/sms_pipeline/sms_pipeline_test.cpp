// Alerts reach phones by text message, across real puented nodes and a real Redis, through a
// real Kannel (bearerbox, smsbox) and Kannel's fake SMS centre (fakesmsc) on loopback: an
// observer with only a phone gets the alert at their number in their language, with the
// incident's code and the reply line, and Redis holds what REPLIES reads (the texts hash,
// sms-text, sms-codes, sms-count); alerts within the bundle window go as one text under
// letters; with smsbox stopped texts wait (/readyz names "sms") and all go once it is back,
// each once, whichever of two nodes sends it; past the hour's budget only urgent alerts go.
//
// The phones are in the roster (appended to the test network's roster file before the nodes
// start); no route of REPLIES is needed: delivery reports to the dlr-url get no answer that
// matters here.
#include "child_process.hpp"
#include "file_text.hpp"
#include "kannel_gateway.hpp"
#include "puente/v1/json.hpp"
#include "test_network.hpp"
#include "wait_until.hpp"

#include "core/clock.hpp"
#include "core/sms_text.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <thread>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

constexpr const char* kNetworkNumber = "5550000";

// One responder of the test reachable by text only.
struct Texter {
  std::string id;
  std::string phone;
  std::string language;
};
const std::vector<Texter> kTexters = {{"sms-ana", "+13235550101", "es"},
                                      {"sms-bob", "+13235550102", "en"},
                                      {"sms-cruz", "+13235550103", "es"},
                                      {"sms-dee", "+13235550104", "en"}};

class SmsPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(KannelGateway::missing_programs(), "")
        << "install kannel and kannel-extras (deploy/install-deps.sh)";
    // Kannel's callbacks are not needed here.
    fragment_ =
        make_gateway_credentials(files_.path() / "puente-kannel.conf", "http://127.0.0.1:9");
    kannel_ = std::make_unique<KannelGateway>(fragment_);
  }

  // A network whose nodes text through the test's Kannel; `sms` and `delivery` go into [sms]
  // and after [delivery]: by default each alert type texts at once to whoever has no socket.
  std::unique_ptr<TestNetwork> network(const std::string& sms = "bundle_seconds = 0\n",
                                       const std::string& delivery = "") {
    std::string ladders;
    for (const char* type : {"VERIFY", "DISPATCH", "ESCALATE", "UPDATE", "DEBUNK", "STAND_DOWN"})
      ladders += std::string("[delivery.") + type +
                 "]\nsms = { after_seconds = 0, without_socket_after_seconds = 0 }\n";
    auto net = std::make_unique<TestNetwork>(
        "[privacy]\ncaller_key_file = \"caller.key\"\n[sms]\ncredentials_file = \"" +
        (files_.path() / "puente-kannel.conf").string() + "\"\nsendsms = \"127.0.0.1:" +
        std::to_string(kannel_->sendsms_port()) + "\"\nfrom = \"" + kNetworkNumber +
        "\"\ncallback_url = \"http://127.0.0.1:9\"\nconnect_timeout_ms = 1000\nresponse_timeout_ms "
        "= 2000\n" +
        sms + "[delivery]\nsocket_grace_ms = 300\n" + ladders + delivery);
    std::ofstream(net->dir() / "caller.key") << std::string(32, 'k');
    std::ofstream roster(net->dir() / "roster.toml", std::ios::app);
    for (const auto& t : kTexters)
      roster << "[[responder]]\nid = \"" << t.id << "\"\nroles = [\"legal_observer\"]\n"
             << "neighborhoods = [\"boyle-heights\"]\nlanguages = [\"" << t.language << "\"]\n"
             << "phone = \"" << t.phone << "\"\nchannels = [\"sms\"]\n\n";
    return net;
  }

  std::vector<PhoneSms> texts_to(const std::string& phone) const {
    std::vector<PhoneSms> out;
    for (auto& sms : kannel_->phone_received())
      if (sms.to == phone) out.push_back(std::move(sms));
    return out;
  }

  // The incident as a dispatcher sees it.
  static v1::Incident incident_of(PuentedNode& node, TestNetwork& net, const std::string& id) {
    v1::Incident incident;
    auto got = node.call(http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    EXPECT_EQ(wire::from_json(got.body, incident), "") << got.body;
    return incident;
  }

  // A Lua expression's value as a string (a status reply: one line).
  static std::string redis_value(TestNetwork& net, const std::string& lua) {
    auto line = net.redis_line("EVAL \"return {ok=tostring(" + lua + ")}\" 0");
    return line.empty() ? line : line.substr(1);
  }

  TempDir files_{"puente-sms-pipeline-"};
  std::string fragment_;
  std::unique_ptr<KannelGateway> kannel_;
};

TEST_F(SmsPipeline, AnObserverWithOnlyAPhoneGetsTheAlertByTextInTheirLanguage) {
  auto net = network();
  auto node = net->start_node("a");
  const auto incident_id = open_incident(*node, net->token("op"), boyle_heights);
  const auto code = core::incident_code(incident_id);

  ASSERT_TRUE(wait_until([&] { return texts_to("+13235550101").size() == 1; }, 20s))
      << kannel_->logs() << file_text(node->log_path());
  const auto text = texts_to("+13235550101")[0];
  EXPECT_EQ(text.from, kNetworkNumber);
  EXPECT_EQ(text.type, "ucs-2");  // Spanish: "allí"
  EXPECT_TRUE(text.text.starts_with("SIN VERIFICAR Redada: Boyle Heights")) << text.text;
  EXPECT_TRUE(text.text.ends_with("\n" + code + " Responda 1 voy, 2 allí, 3 no puedo"))
      << text.text;
  EXPECT_LE(core::sms_length(text.text).segments, 2u);
  // English for the one who reads English.
  ASSERT_TRUE(wait_until([&] { return texts_to("+13235550102").size() == 1; }, 20s));
  const auto english = texts_to("+13235550102")[0].text;
  EXPECT_TRUE(english.starts_with("UNVERIFIED Raid: Boyle Heights")) << english;
  EXPECT_TRUE(english.ends_with("\n" + code + " Reply 1 on my way, 2 on scene, 3 can't"))
      << english;

  // What REPLIES reads: the texts hash, the text's alerts, the reply codes, the hour's count.
  const auto incident = incident_of(*node, *net, incident_id);
  ASSERT_EQ(incident.alerts_size(), 1);
  const auto alert_id = incident.alerts(0).id();
  const auto texts = "'puente:incident:" + incident_id + ":texts'";
  ASSERT_TRUE(wait_until([&] {
    return redis_value(*net, "redis.call('HEXISTS', " + texts + ", 'texted " + alert_id +
                                 " sms-ana')") == "1";
  }));
  EXPECT_EQ(
      redis_value(*net, "redis.call('HEXISTS', " + texts + ", 'queued " + alert_id + " sms-ana')"),
      "1");
  EXPECT_EQ(redis_value(*net, "redis.call('HGET', 'puente:sms-codes:sms-ana', 'latest')"),
            incident_id + " " + alert_id);
  EXPECT_EQ(redis_value(*net, "redis.call('HLEN', 'puente:sms-codes:sms-ana')"), "1");
  const auto hour = core::to_ms(std::chrono::system_clock::now()) / 1000 / 3600;
  EXPECT_TRUE(wait_until([&] {
    return redis_value(*net, "redis.call('GET', 'puente:sms-count:" + std::to_string(hour) +
                                 "')") == std::to_string(kTexters.size());
  })) << "texts counted this hour";
  // One sms-text per text, naming its responder and the alert it carried.
  EXPECT_EQ(
      redis_value(*net,
                  "(function() local n = 0 for _, k in ipairs(redis.call('KEYS', "
                  "'puente:sms-text:*')) do if redis.call('HGET', k, 'responder') == "
                  "'sms-ana' and redis.call('HGET', k, 'alerts') == '" +
                      incident_id + " " + alert_id + "' then n = n + 1 end end return n end)()"),
      "1");
  EXPECT_TRUE(wait_until([&] {
    return node->metrics().body.find("puente_texts_sent_total " +
                                     std::to_string(kTexters.size())) != std::string::npos;
  }));
  // Nothing waits, nothing is leased, and no log line holds a number.
  EXPECT_EQ(net->redis_integer("ZCARD puente:sms-jobs"), 0);
  EXPECT_EQ(net->redis_integer("ZCARD puente:sms-jobs:leased"), 0);
  EXPECT_EQ(file_text(node->log_path()).find("3235550101"), std::string::npos);
}

TEST_F(SmsPipeline, AlertsWithinTheBundleWindowGoAsOneTextWithALetterEach) {
  auto net = network("bundle_seconds = 3\n");
  auto node = net->start_node("a");
  const auto first = open_incident(*node, net->token("op"), boyle_heights_spot(0));
  const auto second = open_incident(*node, net->token("op"), boyle_heights_spot(5));
  ASSERT_NE(first, second);

  ASSERT_TRUE(wait_until([&] { return texts_to("+13235550102").size() == 1; }, 20s))
      << kannel_->logs();
  std::this_thread::sleep_for(1s);
  ASSERT_EQ(texts_to("+13235550102").size(), 1u) << "two texts where one bundle was due";
  const auto text = texts_to("+13235550102")[0].text;
  EXPECT_LE(core::sms_length(text).segments, 2u);
  const auto a = core::incident_code(first), b = core::incident_code(second);
  EXPECT_TRUE(text.starts_with("A) " + a + " UNVERIFIED")) << text;
  EXPECT_NE(text.find("\nB) " + b + " UNVERIFIED"), std::string::npos) << text;
  EXPECT_TRUE(
      text.ends_with("\nReply 1, 2 or 3 and the letter: 1A on my way, 2A on scene, 3A "
                     "can't"))
      << text;
  const auto first_alert = incident_of(*node, *net, first).alerts(0).id();
  const auto second_alert = incident_of(*node, *net, second).alerts(0).id();
  const auto codes = std::string("'puente:sms-codes:sms-bob'");
  EXPECT_TRUE(wait_until([&] {
    return redis_value(*net, "redis.call('HGET', " + codes + ", 'B')") ==
           second + " " + second_alert;
  }));
  EXPECT_EQ(redis_value(*net, "redis.call('HGET', " + codes + ", 'A')"), first + " " + first_alert);
  EXPECT_EQ(redis_value(*net, "redis.call('HGET', " + codes + ", 'latest')"),
            second + " " + second_alert);
}

TEST_F(SmsPipeline, WithKannelDownTextsWaitAndAllGoOnceItIsBackFromEitherNode) {
  auto net = network();
  auto a = net->start_node("a");
  auto b = net->start_node("b");
  kannel_->stop_smsbox();

  std::vector<std::string> incidents;
  for (int i = 0; i < 3; ++i)
    incidents.push_back(open_incident(i % 2 ? *b : *a, net->token("op"), boyle_heights_spot(i)));

  // Tried and found down: the gateway's state is down, /readyz names "sms", nothing is lost.
  ASSERT_TRUE(wait_until(
      [&] {
        return redis_value(*net, "redis.call('HGET', 'puente:sms-gateway', 'state')") == "down";
      },
      20s))
      << file_text(a->log_path());
  ASSERT_TRUE(wait_until([&] {
    return a->call(http::verb::get, "/readyz", "").body.find("\"sms\"") != std::string::npos ||
           b->call(http::verb::get, "/readyz", "").body.find("\"sms\"") != std::string::npos;
  }));
  std::this_thread::sleep_for(3s);  // a few retries while down
  EXPECT_TRUE(kannel_->phone_received().empty());

  kannel_->start_smsbox();
  // Every alert reaches every phone once: three alerts, in one text or more per phone.
  const auto carried = [&](const Texter& t, const std::string& incident) {
    int n = 0;
    for (const auto& sms : texts_to(t.phone))
      if (sms.text.find(core::incident_code(incident)) != std::string::npos) ++n;
    return n;
  };
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& t : kTexters)
          for (const auto& incident : incidents)
            if (carried(t, incident) == 0) return false;
        return true;
      },
      60s))
      << kannel_->logs();
  std::this_thread::sleep_for(2s);  // anything sent twice would have come by now
  for (const auto& t : kTexters)
    for (const auto& incident : incidents)
      EXPECT_EQ(carried(t, incident), 1) << t.id << " " << incident;
  EXPECT_EQ(redis_value(*net, "redis.call('HGET', 'puente:sms-gateway', 'state')"), "up");
  EXPECT_EQ(net->redis_integer("ZCARD puente:sms-jobs"), 0);
  EXPECT_EQ(net->redis_integer("ZCARD puente:sms-jobs:leased"), 0);
  // /readyz is each node's own view (its last text): the node that sent last says ready again.
  EXPECT_TRUE(a->call(http::verb::get, "/readyz", "").body.find("\"sms\"") == std::string::npos ||
              b->call(http::verb::get, "/readyz", "").body.find("\"sms\"") == std::string::npos);
}

TEST_F(SmsPipeline, PastTheHourlyBudgetOnlyUrgentAlertsGo) {
  auto net = network("bundle_seconds = 0\nmax_per_hour = 3\n");
  // The hour's count at the budget already (this hour and the next, should the test cross one).
  const auto hour = core::to_ms(std::chrono::system_clock::now()) / 1000 / 3600;
  for (auto h : {hour, hour + 1})
    net->redis_line("SET puente:sms-count:" + std::to_string(h) + " 3");
  auto node = net->start_node("a");
  const auto incident_id = open_incident(*node, net->token("op"), boyle_heights);
  // VERIFY is urgent: it goes past the budget.
  ASSERT_TRUE(wait_until([&] { return texts_to("+13235550101").size() == 1; }, 20s))
      << kannel_->logs();
  // A false alarm (DEBUNK) is not: it is not texted, and the record says why.
  ASSERT_EQ(node->call(http::verb::post, "/v1/incidents/" + incident_id + "/false-alarm",
                       net->token("disp"))
                .status,
            200);
  const auto incident = incident_of(*node, *net, incident_id);
  ASSERT_EQ(incident.alerts_size(), 2);
  const auto debunk = incident.alerts(1).id();
  ASSERT_TRUE(wait_until([&] {
    return redis_value(*net, "redis.call('HGET', 'puente:incident:" + incident_id +
                                 ":texts', 'problem " + debunk + " sms-ana')") == "over_budget";
  }));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(texts_to("+13235550101").size(), 1u);
  EXPECT_NE(node->metrics().body.find("puente_texts_failed_total{result=\"over_budget\"} 4"),
            std::string::npos);
}

}  // namespace
}  // namespace puente::test
