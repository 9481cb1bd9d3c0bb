// Redis with the ACL file deploy/redis/users.acl (issue 19 item 2): the nodes sign in as the
// ACL user "puente" with a password from a file and run the whole spine (report, verify alert,
// acks, confirm, dispatch, escalation, replay, resolve, a report journaled while Redis is away
// and replayed after, the retention's purge and AOF rewrite) without one command the ACL
// refuses: Redis's ACL LOG stays empty and no node logs NOPERM. So a command or key the nodes
// start to use and the ACL does not allow fails this test. The default user can read nothing,
// and the node user cannot run what it has no use for (FLUSHALL, CONFIG SET, KEYS, keys and
// channels outside puente:*). A rotated password reaches a node at its next connect.
#include "test_network.hpp"

#include "child_process.hpp"
#include "core/bearer_token.hpp"
#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <cstdlib>
#include <fstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// A fresh password: hex, so an inline AUTH carries it as one word.
std::string new_acl_password() { return core::sha256_hex(core::new_bearer_token()); }

// deploy/redis/users.acl with each password placeholder replaced by the hash of a fresh
// password, as the README tells an operator to do; and the node's password file, 0600.
struct AclFiles {
  TempDir dir{"puente-acl-"};
  std::string node_password = new_acl_password();
  std::string admin_password = new_acl_password();
  std::filesystem::path acl_file = dir.path() / "users.acl";
  std::filesystem::path password_file = dir.path() / "redis-password";

  AclFiles() {
    std::string acl = file_text(PUENTE_SOURCE_DIR "/deploy/redis/users.acl");
    const std::pair<std::string, std::string> placeholders[] = {
        {"PUENTE_NODE_PASSWORD_SHA256", node_password},
        {"PUENTE_ADMIN_PASSWORD_SHA256", admin_password},
        {"PUENTE_SENTINEL_PASSWORD_SHA256", new_acl_password()},
        {"PUENTE_REPLICA_PASSWORD_SHA256", new_acl_password()}};
    for (const auto& [placeholder, password] : placeholders) {
      const auto at = acl.find(placeholder);
      if (at == std::string::npos) throw std::runtime_error("users.acl has no " + placeholder);
      acl.replace(at, placeholder.size(), core::sha256_hex(password));
    }
    std::ofstream(acl_file) << acl;
    write_password(node_password);
  }
  void write_password(const std::string& password) const {
    std::ofstream(password_file, std::ios::trunc) << password << "\n";
    std::filesystem::permissions(
        password_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
};

// Escalation steps a second apart, and a retention of seconds with a purge (and an AOF rewrite)
// every second: the workers run their commands within the test.
const std::string acl_network_config = R"(
[policy.quorum]
count = 1
role = "legal_observer"
state = "ON_SCENE"

[[policy.escalation]]
deadline_seconds = 1
audience = "adjacent"

[[policy.escalation]]
deadline_seconds = 2
audience = "dispatchers"

[privacy]
caller_key_file = "caller.key"
retention_seconds = 4
purge_interval_seconds = 1
aof_rewrite_interval_seconds = 1
)";

// Sends inline commands on one fresh connection, without signing in unless told; the first
// line of each answer (a bulk string's content rather than its length).
std::vector<std::string> ask_redis(unsigned short port, const std::vector<std::string>& commands) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  std::string buffer;
  auto line = [&] {
    const auto n = boost::asio::read_until(socket, boost::asio::dynamic_buffer(buffer), "\r\n");
    std::string out = buffer.substr(0, n - 2);
    buffer.erase(0, n);
    return out;
  };
  std::vector<std::string> answers;
  for (const auto& command : commands) {
    boost::asio::write(socket, boost::asio::buffer(command + "\r\n"));
    std::string answer = line();
    if (answer.starts_with("$") && answer != "$-1") answer = line();
    answers.push_back(answer);
  }
  return answers;
}

class RedisAcl : public ::testing::Test {
 protected:
  AclFiles files;
  TestNetwork net{acl_network_config,
                  "",
                  "user = \"puente\"\npassword_file = \"" + files.password_file.string() + "\"\n",
                  "",
                  "",
                  RedisAclSetup{files.acl_file, {"puente-admin", files.admin_password}}};
  bool keyed = [this] {
    std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
    return true;
  }();

  v1::Incident incident(PuentedNode& node, const std::string& id) {
    auto response = node.call(http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    v1::Incident out;
    EXPECT_EQ(wire::from_json(response.body, out), "") << response.body;
    return out;
  }
  bool ready(PuentedNode& node) { return node.call(http::verb::get, "/readyz", "").status == 200; }
  void ack(client::WsClient& socket, const v1::Alert& alert, v1::AckState state) {
    v1::ClientMessage message;
    message.set_request_id("ack-" + v1::AckState_Name(state));
    message.mutable_ack()->set_alert_id(alert.id());
    message.mutable_ack()->set_incident_id(alert.incident_id());
    message.mutable_ack()->set_state(state);
    socket.send(message);
    auto answer = read_until(
        socket, [&](const v1::ServerMessage& m) { return m.request_id() == message.request_id(); });
    ASSERT_TRUE(answer && answer->has_ack_accepted());
  }
  // What ACL LOG holds, as redis-cli shows it: for the message of a failed check only.
  std::string acl_log_text() {
    const auto out = net.dir() / "acl-log.txt";
    const std::string command = "redis-cli -p " + std::to_string(net.redis().port()) +
                                " --user puente-admin --pass " + files.admin_password +
                                " --no-auth-warning ACL LOG > " + out.string() + " 2>&1";
    if (std::system(command.c_str()) != 0) return "(redis-cli failed)";
    return file_text(out);
  }
  // Every line of the node's log that tells of a command Redis refused it.
  static std::string refusals_in(const PuentedNode& node) {
    std::istringstream lines(file_text(node.log_path()));
    std::string out;
    for (std::string line; std::getline(lines, line);)
      if (line.find("NOPERM") != std::string::npos || line.find("NOAUTH") != std::string::npos)
        out += line + "\n";
    return out;
  }
};

TEST_F(RedisAcl, TheSpineRunsAsTheNodeUserWithoutACommandTheAclRefuses) {
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto board = a->socket(net.token("disp"), {}, true);

  // Report -> VERIFY on another node's observer -> ack -> confirm -> DISPATCH -> escalation.
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  auto verify = next_alert(*observer);
  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->type(), v1::VERIFY);
  ack(*observer, *verify, v1::EN_ROUTE);
  ASSERT_EQ(a->call(http::verb::post, "/v1/incidents/" + id + "/confirm", net.token("disp")).status,
            200u);
  auto dispatch = next_alert(*observer);
  ASSERT_TRUE(dispatch);
  EXPECT_EQ(dispatch->type(), v1::DISPATCH);
  ASSERT_TRUE(wait_until([&] { return incident(*b, id).escalation_step() >= 2; }, 20s))
      << "the escalation worker did not take both steps";

  // A socket that was away gets what it missed from the alert history.
  auto back = a->socket(net.token("obs-bh"), {"boyle-heights"}, false,
                        {{"boyle-heights", verify->offset()}});
  auto missed = next_alert(*back);
  ASSERT_TRUE(missed);
  EXPECT_EQ(missed->type(), v1::DISPATCH);
  ack(*observer, *verify, v1::ON_SCENE);
  ASSERT_EQ(b->call(http::verb::post, "/v1/incidents/" + id + "/resolve", net.token("disp")).status,
            200u);

  // Redis goes away: a report is journaled, and replayed once Redis is back; both links of both
  // nodes sign in again (the alert reaches node b's observer through b's subscriber).
  net.redis().stop();
  ASSERT_TRUE(wait_until([&] { return !ready(*a); }));
  const auto spot = boyle_heights_spot(3);
  auto queued =
      a->call(http::verb::post, "/v1/reports", net.token("op"), report_json(spot.lat, spot.lon));
  ASSERT_EQ(queued.status, 202u) << queued.body;
  net.redis().restart();
  ASSERT_TRUE(wait_until([&] { return ready(*a) && ready(*b); }));
  auto replayed = read_until(*observer, [&](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().incident_id() != id && m.alert().type() == v1::VERIFY;
  });
  ASSERT_TRUE(replayed) << "the journaled report did not come out after Redis came back";

  // The retention purges the resolved incident (and asks for an AOF rewrite).
  ASSERT_TRUE(wait_until(
      [&] {
        return a->call(http::verb::get, "/v1/incidents/" + id, net.token("disp")).status == 404;
      },
      60s));

  // Nothing the nodes did was refused.
  EXPECT_EQ(net.redis_line("ACL LOG"), "*0") << "Redis refused the node user something:\n"
                                             << acl_log_text();
  EXPECT_EQ(refusals_in(*a), "");
  EXPECT_EQ(refusals_in(*b), "");
}

TEST_F(RedisAcl, TheDefaultUserCanReadNothing) {
  auto a = net.start_node("a");
  open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_EQ(net.redis_integer("EXISTS puente:incidents"), 1);  // there is something to read
  const auto answers = ask_redis(
      net.redis().port(), {"GET puente:epoch", "ZRANGE puente:incidents 0 -1", "KEYS *",
                           "SUBSCRIBE puente:board", "AUTH default anything", "GET puente:epoch"});
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_TRUE(answers[i].starts_with("-NOAUTH")) << i << ": " << answers[i];
  EXPECT_TRUE(answers[4].starts_with("-WRONGPASS")) << answers[4];  // the user is off
  EXPECT_TRUE(answers[5].starts_with("-NOAUTH")) << answers[5];
}

TEST_F(RedisAcl, TheNodeUserRunsOnlyWhatTheNodesUseOnTheirOwnKeys) {
  auto a = net.start_node("a");
  open_incident(*a, net.token("op"), boyle_heights);
  const auto answers =
      ask_redis(net.redis().port(),
                {"AUTH puente " + files.node_password, "EXISTS puente:incidents", "FLUSHALL",
                 "FLUSHDB", "CONFIG SET appendonly no", "CONFIG SET notify-keyspace-events \"\"",
                 "KEYS puente:*", "SCAN 0", "GET other:thing", "SET other:thing 1", "ACL LIST",
                 "SHUTDOWN", "MONITOR", "SLAVEOF 127.0.0.1 1",
                 "EVAL \"return redis.call('GET', 'other:thing')\" 0", "SUBSCRIBE other:channel"});
  EXPECT_EQ(answers[0], "+OK");
  EXPECT_EQ(answers[1], ":1");  // its own keys: yes
  for (std::size_t i = 2; i < answers.size(); ++i)
    EXPECT_TRUE(answers[i].starts_with("-NOPERM") ||
                answers[i].find("can't access") != std::string::npos)
        << answers[i];
  EXPECT_EQ(net.redis_integer("EXISTS puente:incidents"), 1) << "something was flushed";
}

TEST_F(RedisAcl, ARotatedPasswordReachesANodeAtItsNextConnect) {
  // A wrong password keeps the node out, and its log says why without the password.
  files.write_password("not-the-password");
  auto a = net.start_node("a", false);
  ASSERT_TRUE(wait_until([&] {
    return file_text(a->log_path()).find("refused AUTH as puente: WRONGPASS") != std::string::npos;
  }));
  EXPECT_FALSE(ready(*a));
  EXPECT_EQ(file_text(a->log_path()).find("not-the-password"), std::string::npos);

  // The rotation of deploy/redis/README.md: a second password on the user, the file rewritten,
  // the first password taken away. The node picks the file up at its next attempt, no restart.
  const auto rotated = new_acl_password();
  EXPECT_EQ(net.redis_line("ACL SETUSER puente >" + rotated), "+OK");
  files.write_password(rotated);
  ASSERT_TRUE(wait_until([&] { return ready(*a); }));
  EXPECT_EQ(net.redis_line("ACL SETUSER puente <" + files.node_password), "+OK");
  open_incident(*a, net.token("op"), boyle_heights);
  // A node started after the rotation uses the new one from the start.
  auto b = net.start_node("b");
  EXPECT_TRUE(ready(*b));
}

// The log of puented run with the network's config and `flags` (its own --redis among them),
// which must refuse to start: it exits non-zero before it listens.
std::string refusal_log_of(TestNetwork& net, const std::string& name,
                           const std::vector<std::string>& flags) {
  std::filesystem::create_directories(net.dir() / name);
  const auto log = net.dir() / name / "puented.log";
  std::vector<std::string> args{"--config",  (net.dir() / "puented.toml").string(),
                                "--listen",  "127.0.0.1:0",
                                "--node-id", name};
  args.insert(args.end(), flags.begin(), flags.end());
  ChildProcess node(puented_binary(), args, log);
  const auto ended = node.wait_for_exit(10s);
  EXPECT_TRUE(ended && ended->exited && ended->code != 0) << "node " << name << " did not refuse";
  return file_text(log);
}

// 192.0.2.1 and 192.0.2.2 (TEST-NET-1) are never this host.
TEST(RedisAccessAtStart, ARemoteRedisOrSentinelWithoutAuthIsRefusedBeforeAnyConnect) {
  TestNetwork net;
  const auto far_redis = refusal_log_of(net, "far", {"--redis", "192.0.2.1:6379"});
  EXPECT_NE(far_redis.find("[redis] address 192.0.2.1 is not on this host"), std::string::npos)
      << far_redis;
  EXPECT_NE(far_redis.find("allow_unauthenticated_remote"), std::string::npos) << far_redis;
  const auto far_sentinel = refusal_log_of(net, "far-sentinel", {"--sentinels", "192.0.2.2:26379"});
  EXPECT_NE(far_sentinel.find("[redis] sentinel 192.0.2.2 is not on this host"), std::string::npos)
      << far_sentinel;
  // The same node on this host starts.
  EXPECT_NO_THROW(net.start_node("near"));
}

TEST(RedisAccessAtStart, ARemoteClusterSeedWithoutAuthIsRefused) {
  TestNetwork net("", "",
                  "cluster = [\"127.0.0.1:7000\", \"192.0.2.3:6379\"]\n"
                  "key_prefix = \"puente:{la}:\"\n");
  const auto far_seed = net.start_failure("far-seed");
  EXPECT_NE(far_seed.find("[redis] address 192.0.2.3 is not on this host"), std::string::npos)
      << far_seed;
  EXPECT_NE(far_seed.find("([redis] cluster)"), std::string::npos) << far_seed;
}

TEST(RedisAccessAtStart, TheConfigMayVouchForAPrivateNetwork) {
  TestNetwork net("", "", "allow_unauthenticated_remote = true\n");
  // Not refused: it starts, and waits for a Redis it cannot reach (stopped here).
  ChildProcess node(puented_binary(),
                    {"--config", (net.dir() / "puented.toml").string(), "--listen", "127.0.0.1:0",
                     "--node-id", "far", "--redis", "192.0.2.1:6379"},
                    net.dir() / "far.log");
  EXPECT_FALSE(node.wait_for_exit(2s)) << file_text(net.dir() / "far.log");
}

TEST(RedisAccessAtStart, AUserWithoutAReadablePrivatePasswordFileIsRefused) {
  TestNetwork none("", "", "user = \"puente\"\n");
  const auto missing =
      refusal_log_of(none, "a", {"--redis", "127.0.0.1:" + std::to_string(none.redis().port())});
  EXPECT_NE(missing.find("[redis] user is set but password_file is not"), std::string::npos)
      << missing;
  TestNetwork open("", "", "user = \"puente\"\npassword_file = \"open-password\"\n");
  std::ofstream(open.dir() / "open-password") << "secret\n";
  std::filesystem::permissions(
      open.dir() / "open-password",
      std::filesystem::perms::owner_read | std::filesystem::perms::others_read);
  const auto readable =
      refusal_log_of(open, "a", {"--redis", "127.0.0.1:" + std::to_string(open.redis().port())});
  EXPECT_NE(readable.find("is readable by every user of this machine"), std::string::npos)
      << readable;
  EXPECT_EQ(readable.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace puente::test
