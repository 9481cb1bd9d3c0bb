// Alerts reach phones by Web Push, across real puented nodes and a real Redis, through the
// tests' own push service on loopback (tests/push_service: it decrypts every push with http_ece
// and checks its VAPID JWT): an observer with no socket gets the alert in their language with an
// ack capability; one whose socket acks RECEIVED gets no push; a 410 removes the phone; a 429 is
// tried again after its Retry-After; two nodes send each push once; a node killed with -9 while
// holding pushes loses none; the incident's deliveries say when it was pushed.
//
// The fixture (push_network_test.hpp) says how phones are registered, and why.
#include "push_network_test.hpp"

#include "file_text.hpp"
#include "puente/v1/json.hpp"

#include <csignal>
#include <future>
#include <set>
#include <thread>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace json = boost::json;

class PushPipeline : public PushNetworkTest {};

TEST_F(PushPipeline, AnObserverWithNoSocketGetsTheAlertByPushInTheirLanguage) {
  auto net = network();
  auto node = net->start_node("a");
  const auto phone = register_phone(*net, "obs-bh");  // reads Spanish
  const auto incident = open_incident(*node, net->token("op"), boyle_heights);

  const auto pushes = wait_for_pushes(phone, 1);
  ASSERT_EQ(pushes.size(), 1u) << service->log() << file_text(node->log_path());
  const auto& push = pushes[0].as_object();
  EXPECT_TRUE(push.at("errors").as_array().empty()) << json::serialize(push);
  EXPECT_EQ(push.at("urgency"), "high");
  EXPECT_EQ(push.at("topic").as_string().size(), 32u);
  const auto payload = json::parse(decoded_payload(pushes[0])).as_object();
  EXPECT_EQ(payload.at("v"), 1);
  EXPECT_EQ(payload.at("kind"), "alert");
  EXPECT_EQ(payload.at("lang"), "es");
  EXPECT_EQ(payload.at("title").as_string().subview().substr(0, 14), "SIN VERIFICAR:")
      << json::serialize(payload);
  EXPECT_NE(payload.at("title").as_string().find("Boyle Heights"), json::string::npos);
  EXPECT_EQ(payload.at("urgent"), true);
  EXPECT_EQ(std::string(payload.at("tag").as_string()), "inc-" + incident);
  EXPECT_EQ(std::string(payload.at("url").as_string()), "/observer.html#incident=" + incident);
  EXPECT_EQ(std::string(payload.at("alert").at("incidentId").as_string()), incident);
  EXPECT_EQ(payload.at("alert").at("type"), "VERIFY");
  EXPECT_TRUE(payload.at("capability").as_string().starts_with("ac1."));
  const auto& actions = payload.at("actions").as_array();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].at("action"), "EN_ROUTE");
  EXPECT_EQ(actions[0].at("title"), "Voy en camino");
  EXPECT_EQ(actions[1].at("title"), "No puedo ir");

  // The incident's delivery record says when a push service took it.
  v1::Incident loaded;
  ASSERT_TRUE(wait_until([&] {
    auto got = node->call(http::verb::get, "/v1/incidents/" + incident, net->token("disp"));
    if (got.status != 200 || !wire::from_json(got.body, loaded).empty()) return false;
    for (const auto& d : loaded.deliveries())
      if (d.responder_id() == "obs-bh" && d.has_pushed_at()) return true;
    return false;
  }));
  EXPECT_NE(node->metrics().body.find("puente_pushes_sent_total 1"), std::string::npos);
}

TEST_F(PushPipeline, AnObserverWhoseSocketAcksReceivedGetsNoPushAndOneWhoDoesNotDoes) {
  auto net = network("[delivery.VERIFY]\npush = { after_seconds = 2 }\n");
  auto node = net->start_node("a");
  const auto phone = register_phone(*net, "obs-bh");
  auto observer = node->socket(net->token("obs-bh"), {"boyle-heights"});

  // Acked RECEIVED at once: nothing goes to the phone, even well past the 2 s rung.
  open_incident(*node, net->token("op"), boyle_heights_spot(0));
  auto alert = next_alert(*observer);
  ASSERT_TRUE(alert);
  v1::ClientMessage ack;
  ack.set_request_id("r1");
  ack.mutable_ack()->set_alert_id(alert->id());
  ack.mutable_ack()->set_incident_id(alert->incident_id());
  ack.mutable_ack()->set_state(v1::RECEIVED);
  observer->send(ack);
  ASSERT_TRUE(
      read_until(*observer, [](const v1::ServerMessage& m) { return m.request_id() == "r1"; }));
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(pushes_to(phone).size(), 0u);

  // Not acked: the push follows after the rung's 2 s.
  open_incident(*node, net->token("op"), boyle_heights_spot(1));
  ASSERT_TRUE(next_alert(*observer));
  EXPECT_EQ(wait_for_pushes(phone, 1).size(), 1u) << service->log();
}

TEST_F(PushPipeline, A410RemovesThePhone) {
  auto net = network();
  auto node = net->start_node("a");
  const auto phone = register_phone(*net, "obs-bh");
  service->answer_with(phone.id, 410);
  open_incident(*node, net->token("op"), boyle_heights);
  ASSERT_EQ(wait_for_pushes(phone, 1).size(), 1u);
  EXPECT_TRUE(wait_until([&] { return net->redis_integer("EXISTS puente:push:obs-bh") == 0; }))
      << "the phone is still registered";
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(pushes_to(phone).size(), 1u) << "a gone phone was pushed to again";
}

TEST_F(PushPipeline, A429IsTriedAgainAfterItsRetryAfter) {
  auto net = network();
  auto node = net->start_node("a");
  const auto phone = register_phone(*net, "obs-bh");
  service->answer_with(phone.id, 429, {{"Retry-After", "2"}});
  open_incident(*node, net->token("op"), boyle_heights);
  ASSERT_EQ(wait_for_pushes(phone, 1).size(), 1u);
  const auto first = std::chrono::steady_clock::now();
  service->answer_with(phone.id, 201);
  const auto pushes = wait_for_pushes(phone, 2);
  ASSERT_EQ(pushes.size(), 2u) << service->log();
  EXPECT_GE(std::chrono::steady_clock::now() - first, 1500ms) << "Retry-After was not honoured";
  EXPECT_EQ(pushes[1].at("answered"), 201);
}

TEST_F(PushPipeline, TwoNodesSendEachPushOnce) {
  auto net = network();
  auto a = net->start_node("a");
  auto b = net->start_node("b");
  const auto phone = register_phone(*net, "obs-bh");
  constexpr int incidents = 6;
  for (int i = 0; i < incidents; ++i)
    open_incident(i % 2 ? *a : *b, net->token("op"), boyle_heights_spot(i));
  const auto pushes = wait_for_pushes(phone, incidents);
  std::this_thread::sleep_for(2s);  // any second copy would have come by now
  std::map<std::string, int> per_tag;
  for (const auto& push : pushes_to(phone))
    ++per_tag[std::string(json::parse(decoded_payload(push)).at("tag").as_string())];
  EXPECT_EQ(per_tag.size(), static_cast<std::size_t>(incidents));
  for (const auto& [tag, count] : per_tag) EXPECT_EQ(count, 1) << tag;
}

TEST_F(PushPipeline, ANodeKeepsItsConnectionsToAPushServiceBetweenBursts) {
  // 20 phones, more than the 16 idle connections a sender keeps per push service by default: an
  // alert's 20 pushes go out at once on 20 connections, and the next alert's reuse them all
  // rather than make some again (a TLS handshake costs the node several pushes).
  auto net = network();
  auto node = net->start_node("a");
  constexpr std::size_t phones = 20;
  for (std::size_t i = 0; i < phones; ++i) register_phone(*net, "obs-bh");
  const auto connections_of = [](const json::array& pushes) {
    std::set<std::int64_t> numbers;
    for (const auto& push : pushes) numbers.insert(push.at("connection").to_number<std::int64_t>());
    return numbers;
  };
  open_incident(*node, net->token("op"), boyle_heights_spot(0));
  ASSERT_TRUE(wait_until([&] { return service->received().size() >= phones; })) << service->log();
  const auto first = connections_of(service->received());
  open_incident(*node, net->token("op"), boyle_heights_spot(1));
  ASSERT_TRUE(wait_until([&] { return service->received().size() >= 2 * phones; }))
      << service->log();
  json::array second_burst;
  const auto all = service->received();
  for (std::size_t i = phones; i < all.size(); ++i) second_burst.push_back(all[i]);
  std::size_t new_connections = 0;
  for (auto number : connections_of(second_burst)) new_connections += first.count(number) == 0;
  EXPECT_EQ(new_connections, 0u) << "the first burst came on " << first.size() << " connections";
}

TEST_F(PushPipeline, ANodeKilledHoldingPushesLosesNone) {
  auto net = network();
  auto a = net->start_node("a");
  std::vector<LoopbackSubscription> phones;
  for (int i = 0; i < 3; ++i) phones.push_back(register_phone(*net, "obs-bh"));
  // The service answers node a 503 (Retry-After 1 s), so a holds its pushes claimed or queued
  // for retry when it is killed with -9; node b, started after, sends every one of them.
  for (const auto& phone : phones) service->answer_with(phone.id, 503, {{"Retry-After", "1"}});
  constexpr int incidents = 4;
  for (int i = 0; i < incidents; ++i) open_incident(*a, net->token("op"), boyle_heights_spot(i));
  ASSERT_TRUE(wait_until([&] {
    return net->redis_integer("ZCARD puente:push-jobs:leased") > 0 ||
           net->redis_integer("ZCARD puente:push-jobs") > 0;
  }));
  a->process().kill_now();
  for (const auto& phone : phones) service->answer_with(phone.id, 201);
  auto b = net->start_node("b");
  std::size_t accepted = 0, duplicates = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        std::map<std::string, int> seen;
        accepted = duplicates = 0;
        for (const auto& push : service->received()) {
          if (push.at("answered") != 201) continue;
          ++accepted;
          const auto key = std::string(push.at("subscription").as_string()) +
                           std::string(json::parse(decoded_payload(push)).at("tag").as_string());
          if (++seen[key] > 1) ++duplicates;
        }
        return seen.size() == phones.size() * incidents;
      },
      60s))
      << accepted << " accepted";
  std::printf("[ killed node ] %zu pushes accepted for %zu due, %zu duplicates\n", accepted,
              phones.size() * incidents, duplicates);
}

TEST_F(PushPipeline, NoSocketAndNoPhoneIsUnreachableAndAPhoneMakesThemReachable) {
  auto net = network();
  auto node = net->start_node("a");
  const auto incident = open_incident(*node, net->token("op"), boyle_heights);
  const auto obs_bh = [&] {
    v1::Incident loaded;
    auto got = node->call(http::verb::get, "/v1/incidents/" + incident, net->token("disp"));
    EXPECT_EQ(wire::from_json(got.body, loaded), "");
    for (const auto& d : loaded.deliveries())
      if (d.responder_id() == "obs-bh") return d;
    ADD_FAILURE() << "no delivery for obs-bh: " << got.body;
    return v1::Delivery{};
  };
  const auto on_call_with_phone = [&] {
    v1::OnCall on_call;
    auto got = node->call(http::verb::get, "/v1/roster/on-call", net->token("disp"));
    EXPECT_EQ(wire::from_json(got.body, on_call), "");
    return std::vector<std::string>(on_call.with_phone().begin(), on_call.with_phone().end());
  };
  EXPECT_TRUE(obs_bh().unreachable());
  EXPECT_TRUE(on_call_with_phone().empty());

  register_phone(*net, "obs-bh");
  EXPECT_FALSE(obs_bh().unreachable());
  EXPECT_EQ(on_call_with_phone(), std::vector<std::string>{"obs-bh"});
}

// The board marks a recipient whose phones have all gone quiet ([push] stale_after_hours, 48 by
// default): their delivery says since when, until a phone of theirs is heard from.
TEST_F(PushPipeline, ADeliveryToSomeoneWhosePhonesAreAllQuietSaysSinceWhen) {
  auto net = network();
  auto node = net->start_node("a");
  const auto three_days_ago = std::chrono::system_clock::now() - 72h;
  const auto five_days_ago = std::chrono::system_clock::now() - 120h;
  register_phone(*net, "obs-bh", three_days_ago);
  register_phone(*net, "obs-bh", five_days_ago);
  const auto incident = open_incident(*node, net->token("op"), boyle_heights);
  const auto delivery_of = [&](const std::string& responder) {
    v1::Incident loaded;
    auto got = node->call(http::verb::get, "/v1/incidents/" + incident, net->token("disp"));
    EXPECT_EQ(wire::from_json(got.body, loaded), "");
    for (const auto& d : loaded.deliveries())
      if (d.responder_id() == responder) return d;
    ADD_FAILURE() << "no delivery for " << responder << ": " << got.body;
    return v1::Delivery{};
  };

  const auto quiet = delivery_of("obs-bh");
  ASSERT_TRUE(quiet.has_phones_quiet_since()) << "every phone of obs-bh is stale";
  EXPECT_EQ(core::to_ms(quiet.phones_quiet_since()), core::to_ms(three_days_ago))
      << "quiet since the later of the two was last heard from";
  EXPECT_FALSE(quiet.unreachable()) << "quiet phones may still get the push";
  v1::Incident all;
  ASSERT_EQ(
      wire::from_json(
          node->call(http::verb::get, "/v1/incidents/" + incident, net->token("disp")).body, all),
      "");
  for (const auto& d : all.deliveries()) {
    if (d.responder_id() != "obs-bh") {
      EXPECT_FALSE(d.has_phones_quiet_since()) << d.responder_id() << " has no phone";
    }
  }

  // A phone heard from lately: a push reaches them, nothing to mark.
  register_phone(*net, "obs-bh");
  EXPECT_FALSE(delivery_of("obs-bh").has_phones_quiet_since());
}

}  // namespace
}  // namespace puente::test
