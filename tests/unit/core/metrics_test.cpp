#include "core/metrics.hpp"

#include <gtest/gtest.h>

namespace puente::core {
namespace {

TEST(Metrics, RendersCountersAndHistogramAsPrometheusText) {
  Metrics m;
  m.reports_accepted.inc(3);
  m.ws_connections.add(2);
  m.request_seconds.observe(0.003);
  m.request_seconds.observe(10);
  auto text = m.render();
  EXPECT_NE(
      text.find("# TYPE puente_reports_accepted_total counter\npuente_reports_accepted_total 3\n"),
      std::string::npos);
  EXPECT_NE(text.find("puente_ws_connections 2\n"), std::string::npos);
  EXPECT_NE(text.find("puente_request_seconds_bucket{le=\"0.0025\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("puente_request_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("puente_request_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("puente_request_seconds_count 2\n"), std::string::npos);
}

}  // namespace
}  // namespace puente::core
