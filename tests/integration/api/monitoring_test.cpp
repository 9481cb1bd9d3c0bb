// The monitoring of deploy/monitoring/ watches what the nodes really export: every metric its
// alert rules and its Grafana dashboard name is in a node's /metrics (a renamed metric would
// leave an alert silent forever), and the node-state gauges the page-worthy alerts rest on
// (puente_ready, puente_redis_up, puente_journal_waiting) follow Redis going away and coming
// back. The rules' own logic is tested by promtool (MonitoringRules, tests/monitoring).
#include "test_network.hpp"

#include "wait_until.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

std::string monitoring_file(const char* name) {
  std::ifstream in(std::filesystem::path(PUENTE_SOURCE_DIR) / "deploy/monitoring" / name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every puente_* metric a text names, a histogram's series under the histogram's name.
std::set<std::string> metric_names(const std::string& text) {
  static const std::regex name("puente_[a-z_]+");
  std::set<std::string> names;
  for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it) {
    std::string metric = it->str();
    for (const char* suffix : {"_bucket", "_sum", "_count"})
      if (metric.ends_with(suffix)) metric.resize(metric.size() - std::strlen(suffix));
    names.insert(metric);
  }
  return names;
}

// The metrics a /metrics answer declares ("# TYPE <name> <type>").
std::set<std::string> exported(const std::string& body) {
  static const std::regex type_line("# TYPE (puente_[a-z_]+) ");
  std::set<std::string> names;
  for (std::sregex_iterator it(body.begin(), body.end(), type_line), end; it != end; ++it)
    names.insert((*it)[1].str());
  return names;
}

// The value of an unlabelled sample in a /metrics answer.
std::optional<long long> sample(const std::string& body, const std::string& metric) {
  const std::regex line("\n" + metric + " (-?[0-9]+)\n");
  std::smatch match;
  if (!std::regex_search(body, match, line)) return std::nullopt;
  return std::stoll(match[1].str());
}

TEST(Monitoring, EveryMetricTheAlertsAndTheDashboardNameIsOneANodeExports) {
  TestNetwork net;
  auto node = net.start_node("a");
  const auto scraped = node->call(http::verb::get, "/metrics", net.token("metrics"));
  ASSERT_EQ(scraped.status, 200u) << scraped.body;
  const auto served = exported(scraped.body);

  for (const char* file : {"puente-alerts.yml", "grafana-dashboard.json"}) {
    const auto named = metric_names(monitoring_file(file));
    EXPECT_GE(named.size(), 5u) << file << " was not read";
    for (const auto& metric : named)
      EXPECT_TRUE(served.count(metric)) << file << " names " << metric << ", which no node exports";
  }
}

TEST(Monitoring, ReadyRedisUpAndTheJournalFollowRedisGoingAwayAndComingBack) {
  TestNetwork net;
  auto node = net.start_node("a");
  auto scrape = [&] { return node->call(http::verb::get, "/metrics", net.token("metrics")).body; };
  auto body = scrape();
  EXPECT_EQ(sample(body, "puente_ready"), 1) << body;
  EXPECT_EQ(sample(body, "puente_redis_up"), 1);
  EXPECT_EQ(sample(body, "puente_journal_waiting"), 0);

  net.redis().stop();
  EXPECT_TRUE(wait_until([&] { return sample(scrape(), "puente_redis_up") == 0; }));
  // A report taken while Redis is away waits in the journal, and the gauge says so.
  auto report = node->call(http::verb::post, "/v1/reports", net.token("op"),
                           report_json(boyle_heights.lat, boyle_heights.lon));
  EXPECT_EQ(report.status, 202u) << report.body;
  body = scrape();
  EXPECT_EQ(sample(body, "puente_ready"), 0) << body;
  EXPECT_EQ(sample(body, "puente_journal_waiting"), 1);

  net.redis().restart();
  EXPECT_TRUE(wait_until([&] {
    body = scrape();
    return sample(body, "puente_ready") == 1 && sample(body, "puente_journal_waiting") == 0;
  })) << body;
  EXPECT_EQ(sample(body, "puente_redis_up"), 1);
}

}  // namespace
}  // namespace puente::test
