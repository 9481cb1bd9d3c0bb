// Script against a real redis-server: EVALSHA, and the EVAL fallback on NOSCRIPT.

#include "redis/script.hpp"
#include "redis_fixture.hpp"

namespace puente::redis::testing {
namespace {

class ScriptTest : public RedisFixture {
 protected:
  void SetUp() override { connection_ = connect(); }
  void TearDown() override {
    connection_->stop();
    RedisFixture::TearDown();
  }

  static Outcome run_script(const Script& script, Connection& connection,
                            std::vector<std::string> keys, std::vector<std::string> args) {
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto answer = promise->get_future();
    script.run(connection, std::move(keys), std::move(args),
               [promise](boost::system::error_code ec, Reply reply) {
                 promise->set_value(Outcome{ec, std::move(reply)});
               });
    if (answer.wait_for(puente::test::default_wait) != std::future_status::ready) {
      ADD_FAILURE() << "no answer within 10 s";
      return {};
    }
    return answer.get();
  }

  std::shared_ptr<Connection> connection_;
};

// Appends to a list and returns its new length with the arguments echoed back.
const char* const append_source = R"lua(
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
return {length, ARGV[1], #KEYS}
)lua";

TEST_F(ScriptTest, Sha1MatchesWhatRedisComputes) {
  Script script(append_source);
  const auto loaded = run(*connection_, {"SCRIPT", "LOAD", append_source});
  ASSERT_FALSE(loaded.ec);
  EXPECT_EQ(script.sha1(), loaded.reply.str);
  EXPECT_EQ(script.source(), append_source);
}

TEST_F(ScriptTest, RunsWithKeysAndBinaryArguments) {
  Script script(append_source);
  const std::string value("report\0one", 10);
  const auto first = run_script(script, *connection_, {"reports"}, {value});
  ASSERT_FALSE(first.ec) << first.ec.message();
  ASSERT_EQ(first.reply.type, Reply::Type::array) << first.reply.str;
  ASSERT_EQ(first.reply.elements.size(), 3u);
  EXPECT_EQ(first.reply.elements[0].integer, 1);
  EXPECT_EQ(first.reply.elements[1].str, value);
  EXPECT_EQ(first.reply.elements[2].integer, 1);

  const auto second = run_script(script, *connection_, {"reports"}, {"two"});
  ASSERT_EQ(second.reply.type, Reply::Type::array) << second.reply.str;
  EXPECT_EQ(second.reply.elements[0].integer, 2);
}

TEST_F(ScriptTest, StillRunsAfterScriptFlush) {
  Script script(append_source);
  ASSERT_EQ(run_script(script, *connection_, {"flushed"}, {"a"}).reply.type, Reply::Type::array);

  ASSERT_FALSE(run(*connection_, {"SCRIPT", "FLUSH"}).ec);
  const auto exists = run(*connection_, {"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_EQ(exists.reply.elements.size(), 1u);
  ASSERT_EQ(exists.reply.elements[0].integer, 0) << "the cache should be empty now";

  // EVALSHA answers NOSCRIPT; the Script retries once with EVAL, which reloads the cache.
  const auto after = run_script(script, *connection_, {"flushed"}, {"b"});
  ASSERT_FALSE(after.ec) << after.ec.message();
  ASSERT_EQ(after.reply.type, Reply::Type::array) << after.reply.str;
  EXPECT_EQ(after.reply.elements[0].integer, 2);
  EXPECT_EQ(run(*connection_, {"SCRIPT", "EXISTS", script.sha1()}).reply.elements[0].integer, 1);
}

TEST_F(ScriptTest, ScriptErrorsArriveAsErrorReplies) {
  Script script("return redis.error_reply('INCIDENT closed')");
  const auto outcome = run_script(script, *connection_, {}, {});
  EXPECT_FALSE(outcome.ec);
  ASSERT_EQ(outcome.reply.type, Reply::Type::error);
  EXPECT_NE(outcome.reply.str.find("INCIDENT closed"), std::string::npos) << outcome.reply.str;
}

TEST_F(ScriptTest, ScriptMayGoBeforeItsReplyArrives) {
  Outcome outcome;
  {
    auto promise = std::make_shared<std::promise<Outcome>>();
    auto answer = promise->get_future();
    ASSERT_FALSE(run(*connection_, {"SCRIPT", "FLUSH"}).ec);  // forces the EVAL retry
    {
      Script script("return 'temporary'");
      script.run(*connection_, {}, {}, [promise](boost::system::error_code ec, Reply reply) {
        promise->set_value(Outcome{ec, std::move(reply)});
      });
    }
    ASSERT_EQ(answer.wait_for(puente::test::default_wait), std::future_status::ready);
    outcome = answer.get();
  }
  EXPECT_FALSE(outcome.ec);
  EXPECT_EQ(outcome.reply.str, "temporary");
}

}  // namespace
}  // namespace puente::redis::testing
