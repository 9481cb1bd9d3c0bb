// The CLI from a terminal, against two real nodes: `puente report` on one, `puente tail` on
// the other prints the alert and acks it, `puente confirm` dispatches, `puente incident` shows
// it all. The CLI runs as its own process, as a person would run it.
#include "test_network.hpp"

#include "../api/sms_network.hpp"

#include "channels/push/vapid.hpp"
#include "file_text.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include <fstream>
#include <sstream>

namespace puente::test {
namespace {

using namespace std::chrono_literals;

class Cli : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");
  int runs = 0;

  struct Run {
    ProcessExit exit;
    std::string output;  // stdout and stderr together
  };

  std::unique_ptr<ChildProcess> start(PuentedNode& node, const std::string& who,
                                      std::vector<std::string> args, std::filesystem::path& log) {
    log = net.dir() / ("cli-" + std::to_string(++runs) + ".log");
    return std::make_unique<ChildProcess>(PUENTE_CLI_PATH, args, log,
                                          cli_environment(node, net.token(who)));
  }

  Run run(PuentedNode& node, const std::string& who, std::vector<std::string> args) {
    std::filesystem::path log;
    auto process = start(node, who, std::move(args), log);
    auto exit = process->wait_for_exit(60s);
    EXPECT_TRUE(exit) << "the CLI did not finish";
    return {exit.value_or(ProcessExit{}), file_text(log)};
  }

  // The first line of `output` that is a JSON object, parsed into `message`.
  template <typename Message>
  static Message json_line(const std::string& output) {
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      Message message;
      if (line.starts_with("{") && wire::from_json(line, message).empty()) return message;
    }
    ADD_FAILURE() << "no JSON line in: " << output;
    return {};
  }
};

TEST_F(Cli, ReportTailAckConfirmAndIncidentWorkFromATerminal) {
  // An observer follows Boyle Heights on node B, acking each alert EN_ROUTE. Once connected,
  // tail names the responder it is connected as.
  std::filesystem::path tail_log;
  auto tail =
      start(*b, "obs-bh", {"tail", "boyle-heights", "--ack", "EN_ROUTE", "--count", "2"}, tail_log);
  ASSERT_TRUE(wait_until([&] { return file_text(tail_log).find("(obs-bh)") != std::string::npos; }))
      << file_text(tail_log);

  auto reported = run(*a, "op",
                      {"report", "--lat", "34.0335", "--lon", "-118.2110", "--kind", "RAID",
                       "--where", "car wash on Cesar Chavez"});
  ASSERT_EQ(reported.exit.code, 0) << reported.output;
  EXPECT_NE(reported.output.find("boyle-heights"), std::string::npos) << reported.output;
  EXPECT_NE(reported.output.find("REPORTED"), std::string::npos) << reported.output;

  auto listed = run(*a, "disp", {"--json", "incidents"});
  ASSERT_EQ(listed.exit.code, 0) << listed.output;
  auto incidents = json_line<v1::IncidentList>(listed.output);
  ASSERT_EQ(incidents.incidents_size(), 1) << listed.output;
  const auto id = incidents.incidents(0).id();

  // The observer's ack lands before the confirm: a dispatcher waits for word from the scene.
  ASSERT_TRUE(wait_until([&] {
    auto shown = run(*a, "disp", {"--json", "incident", id});
    return json_line<v1::Incident>(shown.output).acks_size() == 1;
  }));
  auto confirmed = run(*a, "disp", {"confirm", id, "--text", "3 vans, come now"});
  ASSERT_EQ(confirmed.exit.code, 0) << confirmed.output;
  EXPECT_NE(confirmed.output.find("CONFIRMED"), std::string::npos) << confirmed.output;

  auto tail_exit = tail->wait_for_exit(60s);
  ASSERT_TRUE(tail_exit) << file_text(tail_log);
  EXPECT_EQ(tail_exit->code, 0) << file_text(tail_log);
  auto tailed = file_text(tail_log);
  EXPECT_NE(tailed.find("VERIFY"), std::string::npos) << tailed;
  EXPECT_NE(tailed.find("DISPATCH"), std::string::npos) << tailed;
  EXPECT_NE(tailed.find("3 vans, come now"), std::string::npos) << tailed;

  auto shown = run(*b, "disp", {"incident", id});
  ASSERT_EQ(shown.exit.code, 0) << shown.output;
  for (const char* expected : {"CONFIRMED", "VERIFY", "DISPATCH", "EN_ROUTE", "obs-bh"})
    EXPECT_NE(shown.output.find(expected), std::string::npos) << expected << " missing from:\n"
                                                              << shown.output;
}

TEST_F(Cli, TailThatCannotResumeFromItsOffsetPrintsTheOpenIncidentsOfItsNeighborhoods) {
  auto in_boyle_heights = run(
      *a, "op", {"--json", "report", "--lat", "34.0335", "--lon", "-118.2110", "--kind", "RAID"});
  auto downtown = run(
      *a, "op", {"--json", "report", "--lat", "34.0537", "--lon", "-118.2428", "--kind", "RAID"});
  ASSERT_EQ(in_boyle_heights.exit.code, 0) << in_boyle_heights.output;
  ASSERT_EQ(downtown.exit.code, 0) << downtown.output;
  auto bh_id = json_line<v1::ReportReceipt>(in_boyle_heights.output).incident().id();
  auto dt_id = json_line<v1::ReportReceipt>(downtown.output).incident().id();

  // An offset from before the history begins (1 ms after 1970): the welcome says the alerts
  // since then cannot all be given back, and the tail shows what is open instead.
  auto tailed = run(*b, "disp", {"tail", "boyle-heights", "--since", "1-0", "--for", "2"});
  EXPECT_EQ(tailed.exit.code, 0) << tailed.output;
  EXPECT_NE(tailed.output.find("no longer reaches back"), std::string::npos) << tailed.output;
  EXPECT_NE(tailed.output.find(bh_id), std::string::npos) << tailed.output;
  EXPECT_EQ(tailed.output.find(dt_id), std::string::npos) << "not a neighborhood it follows:\n"
                                                          << tailed.output;

  // Resuming from an offset the history still holds is silent about it.
  auto whole = run(*b, "disp", {"tail", "boyle-heights", "--since", "0", "--for", "1"});
  EXPECT_EQ(whole.output.find("no longer reaches back"), std::string::npos) << whole.output;
}

TEST_F(Cli, AnAdminIssuesListsAndRevokesATokenFromATerminal) {
  auto issued =
      run(*a, "admin",
          {"token", "new", "--for", "obs-bh", "--expires-in", "12", "--note", "spare phone"});
  ASSERT_EQ(issued.exit.code, 0) << issued.output;
  auto at = issued.output.find("token: ");
  ASSERT_NE(at, std::string::npos) << issued.output;
  auto token = issued.output.substr(at + 7, 43);
  auto id_at = issued.output.find("tok-");
  ASSERT_NE(id_at, std::string::npos) << issued.output;
  auto id = issued.output.substr(id_at, issued.output.find(' ', id_at) - id_at);

  // The new token works, shows up in the list (without itself), and stops working once revoked.
  EXPECT_TRUE(wait_until([&] {
    return run(*b, "admin", {"token", "list"}).output.find(id) != std::string::npos;
  }));
  auto listed = run(*b, "admin", {"token", "list", "--responder", "obs-bh"});
  EXPECT_NE(listed.output.find("spare phone"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find(token), std::string::npos) << "the list shows the token itself";
  auto revoked = run(*b, "admin", {"token", "revoke", id});
  ASSERT_EQ(revoked.exit.code, 0) << revoked.output;
  EXPECT_NE(revoked.output.find("revoked"), std::string::npos) << revoked.output;
  EXPECT_EQ(run(*a, "disp", {"token", "revoke", "roster-op"}).exit.code, 1)
      << "a dispatcher revoked a token";
}

TEST_F(Cli, AuditVerifyChecksTheChainAndNamesTheFirstBrokenEntry) {
  // Three tokens issued: three entries after the roster's (failed sign-ins would be summed in one).
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(a->call(boost::beast::http::verb::post, "/v1/admin/tokens", net.token("admin"),
                      R"({"responderId":"obs-bh","expiresInSeconds":3600})")
                  .status,
              201);
  ASSERT_TRUE(wait_until([&] {
    return run(*b, "admin", {"audit", "list"}).output.find("#4") != std::string::npos;
  }));
  auto intact = run(*b, "admin", {"audit", "verify"});
  EXPECT_EQ(intact.exit.code, 0) << intact.output;
  EXPECT_NE(intact.output.find("audit chain intact"), std::string::npos) << intact.output;

  // Someone with Redis access removes the second entry.
  EXPECT_EQ(net.redis_integer("XDEL puente:audit 2-1"), 1);
  auto broken = run(*b, "admin", {"audit", "verify"});
  EXPECT_EQ(broken.exit.code, 1) << broken.output;
  EXPECT_NE(broken.output.find("broken at entry 2 (sequence 3"), std::string::npos)
      << broken.output;
}

TEST_F(Cli, RosterShowsWhoIsOnCallAndAvailableChangesIt) {
  auto before = run(*a, "disp", {"roster", "--neighborhood", "boyle-heights"});
  ASSERT_EQ(before.exit.code, 0) << before.output;
  EXPECT_NE(before.output.find("obs-bh"), std::string::npos) << before.output;
  EXPECT_EQ(before.output.find("obs-off"), std::string::npos) << before.output;

  auto available = run(*a, "obs-off", {"available", "on", "--minutes", "30"});
  ASSERT_EQ(available.exit.code, 0) << available.output;
  EXPECT_NE(available.output.find("available until"), std::string::npos) << available.output;
  auto after = run(*b, "disp", {"roster", "--neighborhood", "boyle-heights"});
  EXPECT_NE(after.output.find("obs-off"), std::string::npos) << after.output;
}

TEST_F(Cli, EvidenceKeepsAnIncidentFromATerminal) {
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  auto refused = run(*a, "op", {"evidence", id});
  EXPECT_EQ(refused.exit.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("forbidden"), std::string::npos) << refused.output;

  auto kept = run(*b, "disp", {"evidence", id});
  ASSERT_EQ(kept.exit.code, 0) << kept.output;
  EXPECT_NE(kept.output.find("incident " + id + ": kept as evidence since"), std::string::npos)
      << kept.output;
  auto shown = run(*a, "disp", {"incident", id});
  ASSERT_EQ(shown.exit.code, 0) << shown.output;
  EXPECT_NE(shown.output.find("evidence      kept since"), std::string::npos) << shown.output;
}

TEST_F(Cli, ReopenBringsBackAnIncidentResolvedByMistake) {
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  ASSERT_EQ(run(*a, "disp", {"resolve", id}).exit.code, 0);
  auto reopened = run(*b, "disp", {"reopen", id, "--text", "resolved by mistake"});
  ASSERT_EQ(reopened.exit.code, 0) << reopened.output;
  EXPECT_NE(reopened.output.find("incident " + id + ": REPORTED"), std::string::npos)
      << reopened.output;
}

TEST_F(Cli, RefusalsPrintTheServersWordsAndExit1) {
  auto refused =
      run(*a, "vol-bh", {"report", "--lat", "34.0335", "--lon", "-118.2110", "--kind", "RAID"});
  EXPECT_EQ(refused.exit.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("forbidden"), std::string::npos) << refused.output;
  auto nowhere = run(*a, "op", {"report", "--lat", "33.70", "--lon", "-118.60", "--kind", "RAID"});
  EXPECT_EQ(nowhere.exit.code, 1) << nowhere.output;
  EXPECT_NE(nowhere.output.find("outside_coverage"), std::string::npos) << nowhere.output;
}

TEST_F(Cli, HelpMePrintsOnlyOkAndCallsTheAttorneysWithTheLocationGiven) {
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto attorney = b->socket(net.token("att-bh"), {"boyle-heights"});
  const auto id = open_incident(*a, net.token("op"), boyle_heights);
  auto verify = read_until(*observer, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::VERIFY;
  });
  ASSERT_TRUE(verify);

  auto called = run(*a, "obs-bh",
                    {"help-me", verify->alert().id(), "--incident", id, "--lat", "34.0341", "--lon",
                     "-118.2102"});
  ASSERT_EQ(called.exit.code, 0) << called.output;
  // Someone may be looking at the screen: nothing but "ok".
  EXPECT_EQ(called.output, "ok\n");

  auto help = read_until(*attorney, [](const v1::ServerMessage& m) {
    return m.has_alert() && m.alert().type() == v1::HELP_CALL;
  });
  ASSERT_TRUE(help);
  EXPECT_EQ(help->alert().about_responder_id(), "obs-bh");
  EXPECT_DOUBLE_EQ(help->alert().location().lat(), 34.0341);
  EXPECT_DOUBLE_EQ(help->alert().location().lon(), -118.2102);
}

TEST_F(Cli, PushKeygenWritesTheNetworksKeyOnceAndPrintsItsPublicKey) {
  const auto file = net.dir() / "vapid.pem";
  auto made = run(*a, "admin", {"push", "keygen", "--out", file.string()});
  ASSERT_EQ(made.exit.code, 0) << made.output;
  const auto key = push::VapidKey::read_pem_file(file);
  EXPECT_NE(made.output.find("public key: " + key.public_key_base64url()), std::string::npos)
      << made.output;
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // A network's key is never overwritten by a second run.
  const auto before = file_text(file);
  auto again = run(*a, "admin", {"push", "keygen", "--out", file.string()});
  EXPECT_EQ(again.exit.code, 1) << again.output;
  EXPECT_NE(again.output.find("exists"), std::string::npos) << again.output;
  EXPECT_EQ(file_text(file), before);

  // Without [push] the server says so to `puente push test`.
  auto test = run(*a, "admin", {"push", "test", "--for", "obs-bh"});
  EXPECT_EQ(test.exit.code, 1) << test.output;
  EXPECT_NE(test.output.find("push_not_configured"), std::string::npos) << test.output;
}

// `puente sms status` for a dispatcher: the budget, the queue, the gateway, who replied STOP,
// as Redis holds them (written here as the sender and the inbound route write them).
TEST(CliSms, StatusShowsTheBudgetTheQueueTheGatewayAndWhoStopped) {
  SmsNetwork sms("max_per_hour = 3\n");
  auto& net = sms.net;
  auto a = net.start_node("a");
  const long long hour = std::chrono::duration_cast<std::chrono::hours>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  net.redis_line("SET puente:sms-count:" + std::to_string(hour) + " 3");
  // Due and leased far ahead, so the node's own SMS dispatch leaves them where they are.
  net.redis_line("ZADD puente:sms-jobs 4102444800000 job-a 4102444800001 job-b");
  net.redis_line("ZADD puente:sms-jobs:leased 4102444800000 job-c");
  net.redis_line("HSET puente:sms-gateway state down since 1765000000000 problem gateway_down");
  net.redis_line("SADD puente:sms-stopped att-bh");

  auto run = [&](const std::string& who, std::vector<std::string> args) {
    const auto log = net.dir() / ("cli-" + who + ".log");
    ChildProcess cli(PUENTE_CLI_PATH, std::move(args), log, cli_environment(*a, net.token(who)));
    const auto exit = cli.wait_for_exit(60s);
    EXPECT_TRUE(exit) << "the CLI did not finish";
    return std::pair{exit.value_or(ProcessExit{}).code, file_text(log)};
  };
  const auto [code, output] = run("disp", {"sms", "status"});
  EXPECT_EQ(code, 0) << output;
  EXPECT_NE(output.find("texts this hour  3 of 3  OVER BUDGET: only VERIFY, DISPATCH and "
                        "ESCALATE go by SMS\n"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("queued           3\n"), std::string::npos) << output;
  EXPECT_NE(output.find("gateway          down since 2025-12-06T05:46:40Z (gateway_down)\n"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("replied STOP     att-bh\n"), std::string::npos) << output;

  // A field responder may not read it.
  const auto [refused, words] = run("obs-bh", {"sms", "status"});
  EXPECT_EQ(refused, 1) << words;
  EXPECT_NE(words.find("forbidden"), std::string::npos) << words;
}

// The same terminal against nodes that serve TLS themselves: https:// in PUENTE_SERVER and the
// network's certificate in PUENTE_CA_FILE; without that file the CLI refuses the server.
TEST(CliOverTls, ReportAndTailSpeakHttpsAndWss) {
  TestNetwork net;
  net.serve_tls();
  auto a = net.start_node("a");
  auto b = net.start_node("b");
  auto tail_log = net.dir() / "tail.log";
  ChildProcess tail(PUENTE_CLI_PATH, {"tail", "boyle-heights", "--count", "1"}, tail_log,
                    cli_environment(*b, net.token("obs-bh")));
  ASSERT_TRUE(wait_until([&] { return file_text(tail_log).find("(obs-bh)") != std::string::npos; }))
      << file_text(tail_log);

  auto report_log = net.dir() / "report.log";
  ChildProcess report(PUENTE_CLI_PATH,
                      {"report", "--lat", "34.0335", "--lon", "-118.2110", "--kind", "RAID"},
                      report_log, cli_environment(*a, net.token("op")));
  auto reported = report.wait_for_exit(60s);
  ASSERT_TRUE(reported && reported->code == 0) << file_text(report_log);
  auto tailed = tail.wait_for_exit(60s);
  ASSERT_TRUE(tailed && tailed->code == 0) << file_text(tail_log);
  EXPECT_NE(file_text(tail_log).find("VERIFY"), std::string::npos) << file_text(tail_log);

  auto untrusting_env = cli_environment(*a, net.token("disp"));
  untrusting_env.erase("PUENTE_CA_FILE");
  auto untrusting_log = net.dir() / "untrusting.log";
  ChildProcess untrusting(PUENTE_CLI_PATH, {"incidents"}, untrusting_log, untrusting_env);
  auto refused = untrusting.wait_for_exit(60s);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, 2) << file_text(untrusting_log);
  EXPECT_NE(file_text(untrusting_log).find("certificate verify failed"), std::string::npos)
      << file_text(untrusting_log);
}

// docs/evidence.md: `puente evidence export` writes the bundle, `verify` checks it offline with the
// key `evidence key` gave, and names a changed file; `puente evidence ID` still marks evidence.
TEST_F(Cli, EvidenceExportVerifiesOfflineAndAChangedFileIsNamed) {
  auto incident = open_incident(*a, net.token("op"), boyle_heights);
  auto zip = (net.dir() / "raid.zip").string();
  auto key = (net.dir() / "network.pub").string();
  auto exported = run(*a, "disp", {"evidence", "export", incident, "-o", zip});
  ASSERT_EQ(exported.exit.code, 0) << exported.output;
  auto got_key = run(*b, "att-bh", {"evidence", "key", "-o", key});
  ASSERT_EQ(got_key.exit.code, 0) << got_key.output;
  auto verified = run(*a, "disp", {"evidence", "verify", zip, "--key", key});
  EXPECT_EQ(verified.exit.code, 0) << verified.output;
  EXPECT_NE(verified.output.find("verified"), std::string::npos) << verified.output;

  // The CRC the ZIP's central directory keeps for summary.txt changed: its content no longer
  // reads back as what was signed, and the check names it.
  auto text = file_text(zip);
  auto at = text.rfind("summary.txt");
  ASSERT_NE(at, std::string::npos);
  auto entry = text.rfind("PK\x01\x02", at);
  ASSERT_NE(entry, std::string::npos);
  text[entry + 16] ^= 0x01;
  auto tampered = (net.dir() / "tampered.zip").string();
  std::ofstream(tampered, std::ios::binary) << text;
  auto refused = run(*a, "disp", {"evidence", "verify", tampered, "--key", key});
  EXPECT_EQ(refused.exit.code, 1) << refused.output;
  EXPECT_NE(refused.output.find("changed: summary.txt"), std::string::npos) << refused.output;

  auto marked = run(*a, "disp", {"evidence", incident});
  EXPECT_EQ(marked.exit.code, 0) << marked.output;
  EXPECT_NE(marked.output.find("kept as evidence"), std::string::npos) << marked.output;
}

}  // namespace
}  // namespace puente::test
