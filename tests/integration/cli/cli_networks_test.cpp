// `puente --network ID` against a real node of two networks (issue 23, docs/networks.md): the
// token picks its network, and the flag (or $PUENTE_NETWORK) is a guard for an operator holding
// tokens of both: a command runs only when the server says the token is of network ID;
// otherwise the CLI exits 1 with a message naming both networks, and nothing was done.
#include "two_networks.hpp"

#include "file_text.hpp"
#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

class CliNetworks : public ::testing::Test {
 protected:
  TwoNetworks networks;
  std::unique_ptr<PuentedNode> a = networks.start_node("a");
  int runs = 0;

  struct Run {
    ProcessExit exit;
    std::string output;  // stdout and stderr together
  };

  // The CLI as `who`, with `env` added to its environment.
  Run run(const std::string& who, std::vector<std::string> args,
          const std::map<std::string, std::string>& env = {}) {
    const auto log = networks.dir() / ("cli-" + std::to_string(++runs) + ".log");
    auto environment = cli_environment(*a, networks.token(who));
    environment.insert(env.begin(), env.end());
    ChildProcess process(PUENTE_CLI_PATH, std::move(args), log, environment);
    auto exit = process.wait_for_exit(60s);
    EXPECT_TRUE(exit) << "the CLI did not finish";
    return {exit.value_or(ProcessExit{}), file_text(log)};
  }

  // The open incidents a dispatcher of `people` ("city") sees.
  int open_incidents(const std::string& people) {
    auto response = a->call(http::verb::get, "/v1/incidents", networks.token(people + "-disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::IncidentList list;
    EXPECT_EQ(wire::from_json(response.body, list), "") << response.body;
    return list.incidents_size();
  }
};

const std::vector<std::string> report_args = {"report",    "--lat",  "34.0335", "--lon",
                                              "-118.2110", "--kind", "RAID"};

TEST_F(CliNetworks, ACommandRunsOnlyWhenTheTokenIsOfTheNetworkGiven) {
  // A city operator's token with --network la-county: refused before anything is sent.
  auto args = report_args;
  args.insert(args.begin(), {"--network", "la-county"});
  auto wrong = run("city-op", args);
  EXPECT_TRUE(wrong.exit.exited && wrong.exit.code == 1) << wrong.output;
  EXPECT_NE(wrong.output.find("the token belongs to network \"la-city\" (Los Angeles City), not "
                              "\"la-county\" (--network): nothing was done"),
            std::string::npos)
      << wrong.output;
  EXPECT_EQ(open_incidents("city"), 0);
  EXPECT_EQ(open_incidents("county"), 0);

  // $PUENTE_NETWORK does the same, for a read too.
  auto read = run("county-disp", {"incidents"}, {{"PUENTE_NETWORK", "la-city"}});
  EXPECT_TRUE(read.exit.exited && read.exit.code == 1) << read.output;
  EXPECT_NE(read.output.find("belongs to network \"la-county\""), std::string::npos) << read.output;

  // The right network: the report is taken, in the city.
  args = report_args;
  args.insert(args.begin(), {"--network", "la-city"});
  auto right = run("city-op", args);
  EXPECT_TRUE(right.exit.exited && right.exit.code == 0) << right.output;
  EXPECT_NE(right.output.find("boyle-heights"), std::string::npos) << right.output;
  EXPECT_EQ(open_incidents("city"), 1);
  EXPECT_EQ(open_incidents("county"), 0);
}

}  // namespace
}  // namespace puente::test
