// A test notification reaches a phone: POST /v1/admin/push-test, and `puente push test --for ID`
// (clients/puente/push_commands.cpp) which calls it, queue a kind "test" push to each phone of
// that responder, and the tests' own push service (push_network_test.hpp) receives and decrypts
// it, in the responder's language; nobody else's phone gets one.
#include "push_network_test.hpp"

#include "file_text.hpp"
#include "puente/v1/json.hpp"

#include <thread>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace json = boost::json;

class TestPush : public PushNetworkTest {
 protected:
  // The one push `phone` received, decrypted and checked as a test notification in `lang`.
  void expect_one_test_push(const LoopbackSubscription& phone, const std::string& lang,
                            const std::string& title, const std::string& body) {
    const auto pushes = wait_for_pushes(phone, 1);
    ASSERT_EQ(pushes.size(), 1u) << service->log();
    EXPECT_TRUE(pushes[0].at("errors").as_array().empty()) << json::serialize(pushes[0]);
    EXPECT_EQ(pushes[0].at("answered"), 201);
    EXPECT_EQ(pushes[0].at("jwt").at("verified"), true);
    const auto payload = json::parse(decoded_payload(pushes[0])).as_object();
    EXPECT_EQ(payload.at("kind"), "test") << json::serialize(payload);
    EXPECT_EQ(std::string(payload.at("lang").as_string()), lang);
    EXPECT_EQ(std::string(payload.at("title").as_string()), title);
    EXPECT_EQ(std::string(payload.at("body").as_string()), body);
    EXPECT_FALSE(payload.contains("capability")) << "a test push acks nothing";
  }
};

TEST_F(TestPush, AnAdminsTestPushReachesEachPhoneOfThatResponderInTheirLanguage) {
  auto net = network();
  auto node = net->start_node("a");
  const auto first = register_phone(*net, "obs-bh");  // reads Spanish
  const auto second = register_phone(*net, "obs-bh");
  const auto someone_else = register_phone(*net, "att-bh");

  auto answer = node->call(http::verb::post, "/v1/admin/push-test", net->token("admin"),
                           R"({"responderId":"obs-bh"})");
  ASSERT_EQ(answer.status, 202u) << answer.body;
  v1::PushTest queued;
  ASSERT_EQ(wire::from_json(answer.body, queued), "") << answer.body;
  EXPECT_EQ(queued.phones(), 2);

  const std::string title = "Puente: prueba";
  const std::string body = "Este teléfono recibe las alertas de Puente, aun con la app cerrada.";
  expect_one_test_push(first, "es", title, body);
  expect_one_test_push(second, "es", title, body);
  std::this_thread::sleep_for(1s);  // a stray push would have come by now
  EXPECT_EQ(pushes_to(someone_else).size(), 0u) << "another responder's phone got the test";
  EXPECT_EQ(pushes_to(first).size(), 1u);

  // A responder with no phone: 202 with none to go to.
  answer = node->call(http::verb::post, "/v1/admin/push-test", net->token("admin"),
                      R"({"responderId":"obs-dt"})");
  ASSERT_EQ(answer.status, 202u) << answer.body;
  ASSERT_EQ(wire::from_json(answer.body, queued), "") << answer.body;
  EXPECT_EQ(queued.phones(), 0);
}

TEST_F(TestPush, PuentePushTestForAResponderReachesTheirPhone) {
  auto net = network();
  auto node = net->start_node("a");
  const auto phone = register_phone(*net, "att-bh");  // reads English
  const auto someone_else = register_phone(*net, "obs-bh");

  const auto log = net->dir() / "cli-push-test.log";
  ChildProcess cli(PUENTE_CLI_PATH, {"push", "test", "--for", "att-bh"}, log,
                   cli_environment(*node, net->token("admin")));
  const auto exit = cli.wait_for_exit(60s);
  ASSERT_TRUE(exit) << "the CLI did not finish";
  EXPECT_TRUE(exit->exited && exit->code == 0) << file_text(log);
  EXPECT_NE(file_text(log).find("test push queued for 1 phone of att-bh"), std::string::npos)
      << file_text(log);

  expect_one_test_push(phone, "en", "Puente: test",
                       "This phone gets Puente alerts, even when the app is closed.");
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(pushes_to(someone_else).size(), 0u) << "another responder's phone got the test";
}

}  // namespace
}  // namespace puente::test
