// Redis access alone makes no token: a token record written into Redis by hand (HSET on the
// tokens hash and an SPUBLISH on its change channel), unsigned or carrying another record's
// signature, signs no one in (401), and the node reports it: a log line without the token, a
// "token.record_refused" audit entry, a metric. Tokens the nodes issue still work.
#include "test_network.hpp"

#include "core/bearer_token.hpp"
#include "core/clock.hpp"
#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

// A RESP command (binary-safe), without its last CRLF: TestNetwork::redis_line adds it.
std::string resp_words(const std::vector<std::string>& words) {
  std::string command = "*" + std::to_string(words.size()) + "\r\n";
  for (const auto& word : words)
    command += "$" + std::to_string(word.size()) + "\r\n" + word + "\r\n";
  return command.substr(0, command.size() - 2);
}

// What someone with Redis access does to make a token: write its record, announce it.
void plant(TestNetwork& net, const v1::IssuedToken& record) {
  ASSERT_EQ(net.redis_line(
                resp_words({"HSET", "puente:tokens", record.id(), record.SerializeAsString()})),
            ":1");
  EXPECT_EQ(net.redis_line(resp_words({"SPUBLISH", "puente:tokens:changed", record.id()})).at(0),
            ':');
}

bool audited_refusal(PuentedNode& node, TestNetwork& net, const std::string& id) {
  const auto log = node.audit_log(net.token("admin"));
  for (const auto& entry : log.entries())
    if (entry.action() == "token.record_refused" && entry.subject() == id) return true;
  return false;
}

TEST(TokenSignature, ATokenRecordPlantedInRedisIsRefusedAndReported) {
  TestNetwork net;
  auto a = net.start_node("a");

  // An issued token signs in: its record carries the node's signature.
  auto issued = a->call(http::verb::post, "/v1/admin/tokens", net.token("admin"),
                        R"({"responderId":"vol-bh"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  v1::IssuedToken genuine;
  ASSERT_EQ(wire::from_json(issued.body, genuine), "");
  EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", genuine.token()).status, 200);
  EXPECT_EQ(issued.body.find("signature"), std::string::npos) << "an answer shows the signature";

  // An admin token, unsigned, written straight into Redis.
  const std::string planted_text = core::new_bearer_token();
  v1::IssuedToken planted;
  planted.set_id("tok-planted");
  planted.set_responder_id("admin");
  planted.set_token_sha256(core::sha256_hex(planted_text));
  *planted.mutable_created_at() = core::now();
  planted.set_issued_by("admin");
  plant(net, planted);

  // An admin token with a signature the network's key never made.
  const std::string stolen_text = core::new_bearer_token();
  v1::IssuedToken forged;
  forged.set_id("tok-forged");
  forged.set_responder_id("admin");
  forged.set_token_sha256(core::sha256_hex(stolen_text));
  *forged.mutable_created_at() = core::now();
  forged.set_issued_by("admin");
  forged.set_signature(std::string(64, '\x5a'));
  plant(net, forged);

  EXPECT_TRUE(wait_until([&] {
    return audited_refusal(*a, net, "tok-planted") && audited_refusal(*a, net, "tok-forged");
  })) << a->audit_log(net.token("admin")).DebugString();
  for (const auto& text : {planted_text, stolen_text}) {
    auto refused = a->call(http::verb::get, "/v1/admin/tokens", text);
    EXPECT_EQ(refused.status, 401) << refused.body;
  }
  // The genuine token is untouched by the reload the planting caused.
  EXPECT_EQ(a->call(http::verb::get, "/v1/neighborhoods", genuine.token()).status, 200);
  // The admins' list shows the tokens that sign in, not the planted records.
  auto listed = a->call(http::verb::get, "/v1/admin/tokens", net.token("admin"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find(genuine.id()), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find("tok-planted"), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find("tok-forged"), std::string::npos) << listed.body;

  auto metrics = a->metrics().body;
  EXPECT_NE(metrics.find("puente_token_records_refused_total 2"), std::string::npos) << metrics;
  auto log = file_text(a->log_path());
  EXPECT_NE(log.find("refused token record tok-planted (for admin)"), std::string::npos) << log;
  EXPECT_EQ(log.find(planted_text), std::string::npos) << "the planted token reached the log";
  EXPECT_EQ(log.find(planted.token_sha256()), std::string::npos) << "a token hash reached the log";

  // A second node, started after the planting, refuses them from its first load.
  auto b = net.start_node("b");
  ASSERT_TRUE(wait_until([&] {
    return b->call(http::verb::get, "/v1/neighborhoods", genuine.token()).status == 200;
  })) << "node b never loaded the issued tokens";
  EXPECT_EQ(b->call(http::verb::get, "/v1/admin/tokens", planted_text).status, 401);
}

}  // namespace
}  // namespace puente::test
